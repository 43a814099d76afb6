import {
  DecryptionFailure,
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretStringReader } from '../../../shared/adapters/secrets/secret-string-reader.js';
import { SecretUnavailableError } from '../../../shared/adapters/secrets/secret-unavailable-error.js';
import { ConfigError } from '../../../shared/config/config-error.js';

const SECRET_ID = 'midaxo/acme';
const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => secretsManager.reset());

function readerAt(clock: { ms: number }) {
  return createSecretStringReader({
    client: new SecretsManagerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
    maxAgeSeconds: 900,
    now: () => clock.ms,
  });
}

describe('secret string reader', () => {
  it('reads a secret once and answers from the cache until it is older than maxAgeSeconds', async () => {
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'first' }).resolves({
      SecretString: 'rotated',
    });
    const clock = { ms: 1_000_000 };
    const read = readerAt(clock);

    expect(await read(SECRET_ID)).toBe('first');
    clock.ms += 900_000;
    expect(await read(SECRET_ID)).toBe('first');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ID });

    clock.ms += 1;
    expect(await read(SECRET_ID)).toBe('rotated');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('keeps one cache entry per secret', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .resolves({ SecretString: 'acme' })
      .on(GetSecretValueCommand, { SecretId: 'midaxo/other' })
      .resolves({ SecretString: 'other' });
    const read = readerAt({ ms: 0 });

    expect(await read(SECRET_ID)).toBe('acme');
    expect(await read('midaxo/other')).toBe('other');
    expect(await read(SECRET_ID)).toBe('acme');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('reads afresh when asked, and caches what it read then', async () => {
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'old' }).resolves({
      SecretString: 'new',
    });
    const read = readerAt({ ms: 0 });

    expect(await read(SECRET_ID)).toBe('old');
    expect(await read(SECRET_ID, { fresh: true })).toBe('new');
    expect(await read(SECRET_ID)).toBe('new');
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('answers undefined for a secret without a SecretString (a binary secret)', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });

    expect(await readerAt({ ms: 0 })(SECRET_ID)).toBeUndefined();
  });

  it('fails naming the secret and the error, not what the error says, and tries again next time', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'no secret midaxo/acme-x1', $metadata: {} }))
      .rejectsOnce(
        new DecryptionFailure({ message: 'key arn:aws:kms:eu-west-1:123456789012:key/x', $metadata: {} }),
      )
      .resolves({ SecretString: 'value' });
    const read = readerAt({ ms: 0 });

    const missing = read(SECRET_ID);
    await expect(missing).rejects.toThrow(ConfigError);
    await expect(missing).rejects.toThrow(`Cannot read secret ${SECRET_ID}: ResourceNotFoundException`);
    await expect(missing).rejects.not.toThrow(/acme-x1/);
    await expect(read(SECRET_ID)).rejects.toThrow(/: DecryptionFailure$/);
    expect(await read(SECRET_ID)).toBe('value');
  });

  it('tells a passing failure (throttling, an AWS fault) from a configuration problem, and reads again next time', async () => {
    const throttled = Object.assign(new Error('Rate exceeded for midaxo/acme-x1'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(new InternalServiceError({ message: 'internal', $metadata: { httpStatusCode: 500 } }))
      .resolves({ SecretString: 'value' });
    const read = readerAt({ ms: 0 });

    const first = read(SECRET_ID);
    await expect(first).rejects.toThrow(SecretUnavailableError);
    await expect(first).rejects.not.toThrow(ConfigError);
    await expect(first).rejects.toThrow(
      `Secret ${SECRET_ID} could not be read just now (ThrottlingException)`,
    );
    await expect(first).rejects.not.toThrow(/Rate exceeded|acme-x1/);
    await expect(read(SECRET_ID)).rejects.toThrow(SecretUnavailableError);
    expect(await read(SECRET_ID)).toBe('value');
  });
});

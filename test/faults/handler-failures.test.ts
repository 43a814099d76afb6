/**
 * What an operator reads when the poller cannot work: refused credentials, no access to the workspace, an
 * unknown process, a missing or malformed secret, a bad environment — each a clear error through the
 * handler, naming what to fix and never quoting a secret.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { SandboxClient } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import { ConfigError } from '../../shared/config/config-error.js';
import { FAULT_CLIENT, type PollerHarness, SECRET_ID, startPollerHarness } from './poller-harness.js';

const PROCESS = 'process-failures';
const UNKNOWN_PROCESS = 'process-nobody-has';
const OUTSIDER: SandboxClient = {
  clientId: 'outsider-client',
  clientSecret: 'outsider-secret-value-9f3a',
  processIds: ['somebody-elses-process'],
};

describe('poller errors an operator can act on', () => {
  let harness: PollerHarness;

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [PROCESS]: sampleProjects(5) },
      sandbox: { clients: [FAULT_CLIENT, OUTSIDER] },
    });
  });

  beforeEach(() => {
    harness.setSecretString(secretOf(FAULT_CLIENT));
    harness.clock.advance(120);
  });

  afterAll(async () => {
    await harness.close();
  });

  /** The error of one poll in a fresh container (so the secret and the token are read anew). */
  async function pollError(env: Record<string, string> = {}): Promise<string> {
    const handler = harness.createHandler({ env });
    const error = await harness.invoke({ mode: 'poll' }, undefined, handler).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    return `${(error as Error).name}: ${(error as Error).message}`;
  }

  it('says the credentials or the access to the process were refused when the API keeps answering 401', async () => {
    harness.sandbox.failNext({ kind: 'unauthorized', count: 2 });

    const message = await pollError();

    expect(message).toMatch(
      new RegExp(`PollRunError: 1 of 1 processes failed:\\n- default/${PROCESS}: MidaxoAuthError: `),
    );
    expect(message).toContain(`credentials rejected or no access to process ${PROCESS} (HTTP 401)`);
  });

  it('says so too when the client may not see the process (403)', async () => {
    harness.setSecretString(secretOf(OUTSIDER));

    const message = await pollError();

    expect(message).toContain(`credentials rejected or no access to process ${PROCESS} (HTTP 403)`);
    expect(message).not.toContain(OUTSIDER.clientSecret);
  });

  it('says the client credentials were rejected, naming the client id only, when the token endpoint refuses them', async () => {
    const mistyped = 'mistyped-secret-value-3c1d';
    harness.setSecretString(secretOf({ ...FAULT_CLIENT, clientSecret: mistyped }));

    const message = await pollError();

    expect(message).toContain('MidaxoAuthError');
    expect(message).toContain('the client credentials were rejected (HTTP 401');
    expect(message).toContain(`check client_id ${FAULT_CLIENT.clientId} and its client_secret`);
    expect(message).not.toContain(mistyped);
  });

  it('names an unknown process (404) and still polls the other processes of the workspace', async () => {
    const message = await pollError({ MIDAXO_PROCESS_IDS: `${PROCESS},${UNKNOWN_PROCESS}` });

    expect(message).toContain('1 of 2 processes failed');
    expect(message).toContain(
      `default/${UNKNOWN_PROCESS}: MidaxoApiError: Midaxo process ${UNKNOWN_PROCESS}: process ${UNKNOWN_PROCESS} ` +
        'is unknown to Midaxo (HTTP 404); check the configured process ids',
    );
    expect(await harness.watermark(PROCESS)).toBe(harness.clock.now().toISOString());
    expect(await harness.watermark(UNKNOWN_PROCESS)).toBeUndefined();
  });

  it('names a secret that cannot be read', async () => {
    harness.setSecretString(undefined);

    const message = await pollError();

    expect(message).toContain(`ConfigError: Cannot read secret ${SECRET_ID}: ResourceNotFoundException`);
  });

  it('names a secret that is not JSON without quoting it', async () => {
    const text = `client_id=${FAULT_CLIENT.clientId}\nclient_secret=${FAULT_CLIENT.clientSecret}`;
    harness.setSecretString(text);

    const message = await pollError();

    expect(message).toContain(`ConfigError: Secret ${SECRET_ID} is not JSON: expected SecretString JSON`);
    expect(message).not.toContain(FAULT_CLIENT.clientSecret);
  });

  it('names the missing field of a malformed secret, never the values it holds', async () => {
    harness.setSecretString(JSON.stringify({ client_secret: FAULT_CLIENT.clientSecret }));
    const noClientId = await pollError();
    harness.setSecretString(JSON.stringify({ client_id: FAULT_CLIENT.clientSecret }));
    const noClientSecret = await pollError();

    expect(noClientId).toMatch(
      new RegExp(`Secret ${SECRET_ID} is malformed .*\\n.*- client_id: expected`, 's'),
    );
    expect(noClientSecret).toMatch(
      new RegExp(`Secret ${SECRET_ID} is malformed .*\\n.*- client_secret: expected`, 's'),
    );
    for (const message of [noClientId, noClientSecret])
      expect(message).not.toContain(FAULT_CLIENT.clientSecret);
  });

  it('refuses to start with a bad environment, naming each variable', () => {
    const create = () => harness.createHandler({ env: { TOPIC_ARN: 'my-topic', PAGE_SIZE: '0' } });

    expect(create).toThrow(ConfigError);
    expect(create).toThrow(/TOPIC_ARN: expected an SNS topic ARN/);
    expect(create).toThrow(/PAGE_SIZE: expected a whole number from 1 to 1000/);
  });
});

function secretOf(client: SandboxClient): string {
  return JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret });
}

/**
 * A secret's SecretString from Secrets Manager (`GetSecretValue`), cached per container so warm
 * invocations make no Secrets Manager call; a rotated value is picked up once the cached one is older
 * than `maxAgeSeconds`, or at once when the caller asks for a fresh read.
 * Layer: adapter, shared by the poller's Midaxo credentials and the Slack forwarder's webhook URL.
 *
 * The SDK client the Lambda already holds does the call: a cache of a few lines replaces Powertools'
 * parameters provider, whose code and second copy of Powertools commons every cold start compiled.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../config/config-error.js';
import { isTransientAwsError } from '../aws/transient-aws-error.js';
import { SecretUnavailableError } from './secret-unavailable-error.js';

export interface SecretStringReaderOptions {
  readonly client: SecretsManagerClient;
  readonly maxAgeSeconds: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

export interface SecretReadOptions {
  /** Skip the cache: the cached value was found wanting (e.g. rejected credentials). */
  readonly fresh?: boolean;
}

export type SecretStringReader = (
  secretId: string,
  options?: SecretReadOptions,
) => Promise<string | undefined>;

interface CachedSecret {
  readonly value: string | undefined;
  readonly expiresAtMs: number;
}

/**
 * Resolves to the SecretString, or undefined when the secret has none (a binary secret). A failed read
 * throws a `ConfigError` naming the secret and the SDK error's name, never the request or a value; a
 * read that failed for a passing reason (throttling, an AWS fault) throws a `SecretUnavailableError`.
 */
export function createSecretStringReader(options: SecretStringReaderOptions): SecretStringReader {
  const now = options.now ?? Date.now;
  const cache = new Map<string, CachedSecret>();
  return async (secretId, readOptions) => {
    const cached = cache.get(secretId);
    if (cached !== undefined && readOptions?.fresh !== true && now() <= cached.expiresAtMs)
      return cached.value;
    let value: string | undefined;
    try {
      const answer = await options.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      value = answer.SecretString;
    } catch (error: unknown) {
      throw readFailure(secretId, error);
    }
    cache.set(secretId, { value, expiresAtMs: now() + options.maxAgeSeconds * 1000 });
    return value;
  };
}

/** The SDK error's name says what to fix (ResourceNotFound, AccessDenied, ...); its text could quote the request. */
function readFailure(secretId: string, error: unknown): Error {
  const name = error instanceof Error ? error.name : 'unknown error';
  return isTransientAwsError(error)
    ? new SecretUnavailableError(
        `Secret ${secretId} could not be read just now (${name}); the next read tries again`,
      )
    : new ConfigError(`Cannot read secret ${secretId}: ${name}`);
}

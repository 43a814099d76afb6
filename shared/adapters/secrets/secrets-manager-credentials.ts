/**
 * Reads a workspace's Midaxo credentials from Secrets Manager, cached per container so warm runs
 * make no Secrets Manager call; a rotated secret is picked up within `maxAgeSeconds`.
 * Each workspace reads its own secret, so one missing or malformed secret fails only its workspace.
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../config/config-error.js';
import { type MidaxoCredentials, parseMidaxoCredentials } from '../../config/midaxo-credentials.js';

export interface CredentialsReaderOptions {
  readonly client: SecretsManagerClient;
  /** @default 900 */
  readonly maxAgeSeconds?: number;
}

export interface CredentialsReader {
  read(secretId: string): Promise<MidaxoCredentials>;
  /** The credentials were rejected: the next read skips the cache, to pick up a rotated secret at once. */
  markRejected(secretId: string): void;
}

export function createSecretsManagerCredentialsReader(options: CredentialsReaderOptions): CredentialsReader {
  const provider = new SecretsProvider({ awsSdkV3Client: options.client });
  const maxAge = options.maxAgeSeconds ?? 900;
  const rejected = new Set<string>();
  return {
    async read(secretId) {
      let value: unknown;
      try {
        value = await provider.get(secretId, { maxAge, forceFetch: rejected.delete(secretId) });
      } catch (error: unknown) {
        throw new ConfigError(`Cannot read secret ${secretId}: ${describeReadFailure(error)}`);
      }
      return parseMidaxoCredentials(value, secretId);
    },
    markRejected(secretId) {
      rejected.add(secretId);
    },
  };
}

/** The SDK error's name says what to fix (ResourceNotFound, AccessDenied, ...); its text could quote the request. */
function describeReadFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.name : 'unknown error';
}

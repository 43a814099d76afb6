/**
 * Reads a workspace's Midaxo credentials from Secrets Manager, cached per container so warm runs
 * make no Secrets Manager call; a rotated secret is picked up within `maxAgeSeconds`.
 * Each workspace reads its own secret, so one missing or malformed secret fails only its workspace.
 */

import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type MidaxoCredentials, parseMidaxoCredentials } from '../../config/midaxo-credentials.js';
import { createSecretStringReader } from './secret-string-reader.js';

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
  const readSecret = createSecretStringReader({
    client: options.client,
    maxAgeSeconds: options.maxAgeSeconds ?? 900,
  });
  const rejected = new Set<string>();
  return {
    async read(secretId) {
      const value = await readSecret(secretId, { fresh: rejected.delete(secretId) });
      return parseMidaxoCredentials(value, secretId);
    },
    markRejected(secretId) {
      rejected.add(secretId);
    },
  };
}

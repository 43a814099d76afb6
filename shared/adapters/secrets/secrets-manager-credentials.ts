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

export type CredentialsReader = (secretId: string) => Promise<MidaxoCredentials>;

export function createSecretsManagerCredentialsReader(options: CredentialsReaderOptions): CredentialsReader {
  const provider = new SecretsProvider({ awsSdkV3Client: options.client });
  const maxAge = options.maxAgeSeconds ?? 900;
  return async (secretId) => {
    let value: unknown;
    try {
      value = await provider.get(secretId, { maxAge });
    } catch (error: unknown) {
      throw new ConfigError(`Cannot read secret ${secretId}: ${describeReadFailure(error)}`);
    }
    return parseMidaxoCredentials(value, secretId);
  };
}

/** The SDK error's name says what to fix (ResourceNotFound, AccessDenied, ...); its text could quote the request. */
function describeReadFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.name : 'unknown error';
}

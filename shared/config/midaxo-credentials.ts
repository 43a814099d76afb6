/**
 * The workspace's Midaxo client credentials, as stored in Secrets Manager:
 * SecretString `{"client_id": "...", "client_secret": "..."}`. Errors name the secret, never its content.
 */
import { parseJsonOrUndefined } from '../support/json-text.js';
import { onFirstUse } from '../support/on-first-use.js';
import * as z from '../support/schema.js';
import { ConfigError, describeIssues } from './config-error.js';

export interface MidaxoCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

const credentialsSchema = onFirstUse(() =>
  z.object({
    client_id: z
      .string({ error: 'expected a non-empty string' })
      .check(z.minLength(1, 'expected a non-empty string')),
    client_secret: z
      .string({ error: 'expected a non-empty string' })
      .check(z.minLength(1, 'expected a non-empty string')),
  }),
);

const EXPECTED_SHAPE = 'expected SecretString JSON {"client_id": "...", "client_secret": "..."}';

/** Accepts the SecretString text or the object middy already parsed from it. */
export function parseMidaxoCredentials(secretValue: unknown, secretId: string): MidaxoCredentials {
  const value = typeof secretValue === 'string' ? parseJsonOrUndefined(secretValue) : secretValue;
  if (value === undefined || value === null || typeof value !== 'object') {
    throw new ConfigError(`Secret ${secretId} is not JSON: ${EXPECTED_SHAPE}`);
  }
  const parsed = credentialsSchema().safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      `Secret ${secretId} is malformed (${EXPECTED_SHAPE}):\n${describeIssues(parsed.error.issues)}`,
    );
  }
  return { clientId: parsed.data.client_id, clientSecret: parsed.data.client_secret };
}

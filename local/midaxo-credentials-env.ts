/**
 * The Midaxo client credentials of the local mode, from MIDAXO_CLIENT_ID / MIDAXO_CLIENT_SECRET
 * (environment or ./.env), validated with one schema; messages name the variables, never their values.
 */
import { z } from 'zod';
import type { MidaxoCredentials } from '../shared/config/midaxo-credentials.js';
import { UsageError } from './usage-error.js';

const credentialsEnvSchema = z.object({
  MIDAXO_CLIENT_ID: z.string({ error: 'not set' }).trim().min(1, 'is empty'),
  MIDAXO_CLIENT_SECRET: z.string({ error: 'not set' }).min(1, 'is empty'),
});

export function midaxoCredentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): MidaxoCredentials {
  const parsed = credentialsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `- ${issue.path.join('.')} ${issue.message}`);
    throw new UsageError(
      `Polling the Midaxo API needs client credentials in the environment or ./.env:\n${problems.join('\n')}\n` +
        'Ask Midaxo Support for a client_id and client_secret for your workspace.',
    );
  }
  return { clientId: parsed.data.MIDAXO_CLIENT_ID, clientSecret: parsed.data.MIDAXO_CLIENT_SECRET };
}

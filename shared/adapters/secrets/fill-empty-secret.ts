/**
 * Puts a first value into a secret that has none, and leaves a secret that has one alone: a key the user
 * rotated since, or one filled by an earlier deploy, is never overwritten. Asks Secrets Manager whether a
 * current version exists (DescribeSecret) rather than reading the value, so no secret is ever read here.
 * Layer: adapter.
 */
import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

const CURRENT_STAGE = 'AWSCURRENT';

export type FillOutcome = 'filled' | 'kept';

export async function fillEmptySecret(
  client: SecretsManagerClient,
  secretId: string,
  firstValue: () => string,
): Promise<FillOutcome> {
  const description = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  const stages = Object.values(description.VersionIdsToStages ?? {}).flat();
  if (stages.includes(CURRENT_STAGE)) return 'kept';
  await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: firstValue() }));
  return 'filled';
}

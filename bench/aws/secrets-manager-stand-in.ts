/** The bench's Secrets Manager: a SecretsManagerClient that answers GetSecretValue from a fixed map, in-process. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import { answerLocally, UnansweredCallError, unanswered } from './local-answer.js';
import { STAND_IN_CREDENTIALS, STAND_IN_ENDPOINT } from './sns-stand-in.js';

export function createSecretsManagerStandIn(secrets: Readonly<Record<string, string>>): SecretsManagerClient {
  const client = new SecretsManagerClient({
    ...SDK_CLIENT_OPTIONS,
    region: 'eu-west-1',
    endpoint: STAND_IN_ENDPOINT,
    credentials: STAND_IN_CREDENTIALS,
  });
  answerLocally(client, 'SecretsManager', (operation, input) => {
    if (operation !== 'GetSecretValue') return unanswered('Secrets Manager', operation);
    const secretId = String(input.SecretId);
    const secret = secrets[secretId];
    if (secret === undefined) throw new UnansweredCallError(`The bench has no secret ${secretId}`);
    return { Name: secretId, SecretString: secret, VersionId: 'bench' };
  });
  return client;
}

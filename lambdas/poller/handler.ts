/** The poller Lambda's entry point: real clients, real environment. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { createPollerHandler } from './create-poller-handler.js';

export const handler = createPollerHandler({
  env: process.env,
  dynamodb: new DynamoDBClient({}),
  sns: new SNSClient({}),
  secretsManager: new SecretsManagerClient({}),
});

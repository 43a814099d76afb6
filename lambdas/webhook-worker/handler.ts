/** A deployed webhook endpoint's worker Lambda entry point: real clients, real environment. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import { createWebhookWorkerHandler } from './create-webhook-worker-handler.js';

export const handler = createWebhookWorkerHandler({
  env: process.env,
  sqs: new SQSClient(SDK_CLIENT_OPTIONS),
  dynamodb: new DynamoDBClient(SDK_CLIENT_OPTIONS),
  secretsManager: new SecretsManagerClient(SDK_CLIENT_OPTIONS),
});

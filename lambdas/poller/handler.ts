/** The poller Lambda's entry point: real clients, real environment. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import { createPollerHandler } from './create-poller-handler.js';

export const handler = createPollerHandler({
  env: process.env,
  dynamodb: new DynamoDBClient(SDK_CLIENT_OPTIONS),
  sns: new SNSClient(SDK_CLIENT_OPTIONS),
  secretsManager: new SecretsManagerClient(SDK_CLIENT_OPTIONS),
  sqs: new SQSClient(SDK_CLIENT_OPTIONS),
});

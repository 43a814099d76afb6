/**
 * The comparison bundle: the three AWS SDK clients the poller uses, created the way its entry point
 * creates them (the same client options), and nothing else. The poller bundle's size and import time
 * beyond this are its own.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';

export const clients = {
  dynamodb: new DynamoDBClient(SDK_CLIENT_OPTIONS),
  sns: new SNSClient(SDK_CLIENT_OPTIONS),
  secretsManager: new SecretsManagerClient(SDK_CLIENT_OPTIONS),
};

/**
 * The comparison bundle: the three AWS SDK clients the poller uses, created the way its entry point
 * creates them, and nothing else. The poller bundle's size and import time beyond this are its own.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';

export const clients = {
  dynamodb: new DynamoDBClient({}),
  sns: new SNSClient({}),
  secretsManager: new SecretsManagerClient({}),
};

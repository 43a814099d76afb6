/** The change consumer Lambda's entry point: real clients, real environment, the example's business logic. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createChangeConsumerHandler } from './create-change-consumer-handler.js';
import { keepLatestSnapshot } from './keep-latest-snapshot.js';

export const handler = createChangeConsumerHandler({
  env: process.env,
  dynamoDb: new DynamoDBClient({}),
  applyChange: keepLatestSnapshot,
});

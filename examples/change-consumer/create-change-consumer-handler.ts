/**
 * Composition of the change consumer Lambda: configuration, adapters, logging and the partial batch
 * response, nothing else. The logic lives in consume-change.ts; the business logic comes in as
 * `applyChange`.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { type ApplyChange, createChangeConsumer } from './consume-change.js';
import { CONSUMER_SERVICE_NAME, loadConsumerConfig } from './consumer-config.js';
import { createProjectsTable } from './projects-table.js';
import { processEachMessage, queuedMessagesOf } from './sqs-batch.js';

export interface ChangeConsumerDependencies {
  readonly env: Record<string, string | undefined>;
  readonly dynamoDb: DynamoDBClient;
  readonly applyChange: ApplyChange;
  readonly logger?: Logger;
}

export function createChangeConsumerHandler(deps: ChangeConsumerDependencies) {
  const config = loadConsumerConfig(deps.env);
  const logger = deps.logger ?? new Logger({ serviceName: CONSUMER_SERVICE_NAME });
  const consumer = createChangeConsumer({
    applyChange: deps.applyChange,
    projects: createProjectsTable({ client: deps.dynamoDb, tableName: config.projectsTableName }),
    idempotencyStore: new DynamoDBPersistenceLayer({
      tableName: config.idempotencyTableName,
      awsSdkV3Client: deps.dynamoDb,
    }),
  });

  const consumeBatch = async (event: unknown, context: Context): Promise<SQSBatchResponse> => {
    consumer.registerLambdaContext(context);
    return processEachMessage(queuedMessagesOf(event), async ({ messageId, body }) => {
      try {
        const { change, outcome } = await consumer.consume(body);
        logger.info('Change event consumed', {
          messageId,
          eventId: change.id,
          processId: change.data.processId,
          projectId: change.subject,
          sequence: change.sequence,
          outcome,
        });
      } catch (error: unknown) {
        logger.error('Change event not consumed; SQS delivers it again, then to the dead-letter queue', {
          messageId,
          error,
        });
        throw error;
      }
    });
  };

  return middy(consumeBatch).use(injectLambdaContext(logger, { resetKeys: true }));
}

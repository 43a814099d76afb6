/**
 * The per-project item that keeps a project's changes in order. One conditional UpdateItem both checks
 * that the event's sequence is newer than the one applied and writes the project's new view, so the
 * check and the write cannot be separated: of two Lambda instances applying sequences 6 and 7 of one
 * project at the same moment, 7 wins whichever writes first, and 6 never overwrites it.
 * Sequences are fixed-width decimal strings, so DynamoDB's string comparison orders them.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type NativeAttributeValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PROJECTS_TABLE, projectKeyOf } from './consumer-tables.js';
import type { ReceivedChange } from './received-change.js';

/** What the consumer keeps of a project after a change: its business logic decides the content. */
export type ProjectView = Record<string, NativeAttributeValue>;

/** `stale`: the project already has this sequence or a newer one applied, so the event was ignored. */
export type WriteOutcome = 'applied' | 'stale';

export interface ProjectsTable {
  writeIfNewer(change: ReceivedChange, view: ProjectView): Promise<WriteOutcome>;
}

export interface ProjectsTableOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export function createProjectsTable(options: ProjectsTableOptions): ProjectsTable {
  const documents = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    async writeIfNewer(change, view) {
      try {
        await documents.send(
          new UpdateCommand({
            TableName: options.tableName,
            Key: { [PROJECTS_TABLE.partitionKey]: projectKeyOf(change.data.processId, change.subject) },
            UpdateExpression: 'SET #sequence = :sequence, #eventId = :eventId, #view = :view',
            ConditionExpression: 'attribute_not_exists(#sequence) OR #sequence < :sequence',
            ExpressionAttributeNames: {
              '#sequence': PROJECTS_TABLE.appliedSequence,
              '#eventId': PROJECTS_TABLE.appliedEventId,
              '#view': PROJECTS_TABLE.view,
            },
            ExpressionAttributeValues: { ':sequence': change.sequence, ':eventId': change.id, ':view': view },
          }),
        );
        return 'applied';
      } catch (error: unknown) {
        if (error instanceof ConditionalCheckFailedException) return 'stale';
        throw error;
      }
    },
  };
}

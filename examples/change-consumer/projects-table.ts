/**
 * The per-project item that keeps a project's changes in order, in two conditional UpdateItems around
 * the business logic:
 *  1. `claim` takes the project's turn for an event only if its sequence is newer than any event
 *     claimed before (or it is the same event, whose view was never stored: a retry after a failure).
 *     A stale event stops here, before the business logic runs.
 *  2. `store` writes the view the business logic made only if no newer event claimed the project in
 *     the meantime, so a stale view is never stored.
 * Of two Lambda instances with sequences 6 and 7 of one project, 6's business logic never starts once
 * 7 has claimed the project, and 6's view never overwrites 7's. Each check and its write are one
 * request, which DynamoDB evaluates atomically on the item.
 * Sequences are fixed-width decimal strings, so DynamoDB's string comparison orders them.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type NativeAttributeValue, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PROJECTS_TABLE, projectKeyOf } from './consumer-tables.js';
import type { ReceivedChange } from './received-change.js';

/** What the consumer keeps of a project after a change: its business logic decides the content. */
export type ProjectView = Record<string, NativeAttributeValue>;

/** `stale`: the project already has this sequence or a newer one, so the event was ignored. */
export type WriteOutcome = 'applied' | 'stale';

export interface ProjectsTable {
  /** Takes the project's turn for this event; `stale` when a newer event (or this one, applied) has it. */
  claim(change: ReceivedChange): Promise<'claimed' | 'stale'>;
  /** Stores the event's view; `stale` when a newer event claimed the project since this one did. */
  store(change: ReceivedChange, view: ProjectView): Promise<WriteOutcome>;
}

export interface ProjectsTableOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

const NAMES = {
  '#claimed': PROJECTS_TABLE.claimedSequence,
  '#claimedId': PROJECTS_TABLE.claimedEventId,
  '#applied': PROJECTS_TABLE.appliedSequence,
  '#appliedId': PROJECTS_TABLE.appliedEventId,
  '#view': PROJECTS_TABLE.view,
};

export function createProjectsTable(options: ProjectsTableOptions): ProjectsTable {
  const documents = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  async function conditionalUpdate(
    change: ReceivedChange,
    update: { set: string; condition: string; names: readonly (keyof typeof NAMES)[] },
    values: Record<string, NativeAttributeValue>,
  ): Promise<boolean> {
    try {
      await documents.send(
        new UpdateCommand({
          TableName: options.tableName,
          Key: { [PROJECTS_TABLE.partitionKey]: projectKeyOf(change.data.processId, change.subject) },
          UpdateExpression: update.set,
          ConditionExpression: update.condition,
          ExpressionAttributeNames: Object.fromEntries(update.names.map((name) => [name, NAMES[name]])),
          ExpressionAttributeValues: { ':sequence': change.sequence, ':eventId': change.id, ...values },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
  return {
    async claim(change) {
      const claimed = await conditionalUpdate(change, CLAIM, {});
      return claimed ? 'claimed' : 'stale';
    },
    async store(change, view) {
      const stored = await conditionalUpdate(change, STORE, { ':view': view });
      return stored ? 'applied' : 'stale';
    },
  };
}

const CLAIM = {
  set: 'SET #claimed = :sequence, #claimedId = :eventId',
  condition:
    'attribute_not_exists(#claimed) OR #claimed < :sequence OR ' +
    '(#claimed = :sequence AND #claimedId = :eventId AND (attribute_not_exists(#applied) OR #applied < :sequence))',
  names: ['#claimed', '#claimedId', '#applied'],
} as const;

const STORE = {
  set: 'SET #applied = :sequence, #appliedId = :eventId, #view = :view',
  condition: '#claimed = :sequence AND #claimedId = :eventId',
  names: ['#claimed', '#claimedId', '#applied', '#appliedId', '#view'],
} as const;

/** Errors the DynamoDB state store throws. Layer: adapter. */

/** An item in the state table that the store cannot read back: it was written by something else or damaged. */
export class CorruptStateError extends Error {
  override readonly name = 'CorruptStateError';
}

/** DynamoDB kept leaving part of a batch unprocessed after every retry the backoff policy allows. */
export class UnprocessedBatchError extends Error {
  override readonly name = 'UnprocessedBatchError';

  constructor(
    readonly operation: 'BatchGetItem' | 'BatchWriteItem',
    readonly processId: string,
    readonly projectIds: readonly string[],
    attempts: number,
  ) {
    super(
      `${operation} for process ${processId} left ${projectIds.length} project(s) unprocessed after ${attempts} ` +
        `attempt(s) without progress (the table is likely throttled): ${summarizeIds(projectIds)}`,
    );
  }
}

export function summarizeIds(ids: readonly string[], shown = 10): string {
  const listed = ids.slice(0, shown).join(', ');
  return ids.length > shown ? `${listed} and ${ids.length - shown} more` : listed;
}

/** DynamoDB's answer to a write whose condition did not hold; expected where a condition guards a race. */
export function isConditionalCheckFailure(e: unknown): boolean {
  return e instanceof Error && e.name === 'ConditionalCheckFailedException';
}

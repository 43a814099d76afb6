/**
 * What docs/events.md asks of a consumer, for one message: validate the event, skip an event id
 * already processed, ignore an event older than the newest applied for its project, apply the rest.
 *
 * Two guards, because each catches what the other cannot:
 * - Powertools idempotency, keyed on the event `id`, keeps a redelivered or republished event from
 *   running `applyChange` again (it may have side effects), and lets only one of two instances that
 *   receive the same event at once process it (the other fails and is delivered again later).
 *   An event whose processing throws leaves no record, so its redelivery is processed.
 * - The sequence guard (projects-table.ts) orders different events of one project, and still drops a
 *   duplicate that arrives after its idempotency record expired. It runs before the business logic,
 *   which therefore never runs for a stale event, and again when the view is stored, so a view made
 *   while a newer event claimed the project is never stored.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import type { ProjectsTable, ProjectView, WriteOutcome } from './projects-table.js';
import { parseReceivedChange, type ReceivedChange } from './received-change.js';

/** The consumer's business logic: what to keep of a project after this change (see keep-latest-snapshot.ts). */
export type ApplyChange = (change: ReceivedChange) => ProjectView | Promise<ProjectView>;

/** `duplicate`: this event id was processed before; nothing was done. */
export type ConsumeOutcome = WriteOutcome | 'duplicate';

export interface ConsumedChange {
  readonly change: ReceivedChange;
  readonly outcome: ConsumeOutcome;
}

export interface ChangeConsumer {
  consume(body: string): Promise<ConsumedChange>;
  /** Lets an interrupted invocation's claim on an event expire with the invocation, not a day later. */
  registerLambdaContext(context: Context): void;
}

export interface ChangeConsumerOptions {
  readonly applyChange: ApplyChange;
  readonly projects: ProjectsTable;
  /** Where processed event ids are kept (DynamoDBPersistenceLayer in the Lambda). */
  readonly idempotencyStore: BasePersistenceLayer;
}

/** The docs ask to remember processed ids for at least a day; the sequence guard covers what comes later. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * The same `id` must mean the same change: a record whose id was seen with another type, project
 * or sequence fails (IdempotencyValidationError) instead of being skipped silently.
 */
const SAME_CHANGE_FIELDS = '[type, source, subject, sequence]';

export function createChangeConsumer(options: ChangeConsumerOptions): ChangeConsumer {
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'id',
    payloadValidationJmesPath: SAME_CHANGE_FIELDS,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
    responseHook: () => 'duplicate' satisfies ConsumeOutcome,
  });
  const applyOnce = makeIdempotent(
    async (change: ReceivedChange): Promise<ConsumeOutcome> => {
      // The sequence guard first: the business logic never runs for an event known to be stale.
      if ((await options.projects.claim(change)) === 'stale') return 'stale';
      return options.projects.store(change, await options.applyChange(change));
    },
    // A fixed prefix instead of the function's name: renaming or redeploying the function keeps the ids.
    { persistenceStore: options.idempotencyStore, config: idempotency, keyPrefix: 'midaxo-change-event' },
  );

  return {
    async consume(body) {
      const change = parseReceivedChange(body);
      return { change, outcome: await applyOnce(change) };
    },
    registerLambdaContext(context) {
      idempotency.registerLambdaContext(context);
    },
  };
}

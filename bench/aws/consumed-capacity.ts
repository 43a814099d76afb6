/**
 * Adds up the DynamoDB capacity units a client's requests consume, as DynamoDB bills them on demand:
 * write units (1 per KB of each item written, rounded up) and read units (1 per 4 KB of each item
 * read, strongly consistent). A bench-only middleware asks every data request for
 * `ReturnConsumedCapacity: TOTAL` (DynamoDB Local computes it as DynamoDB does) and reads the answer;
 * the product code never looks at it, so what it does is unchanged.
 */
import type { MiddlewareClient } from './middleware-client.js';

export const CONSUMED_CAPACITY_MIDDLEWARE = 'benchConsumedCapacity';

/** Operations that take `ReturnConsumedCapacity`, and which kind of unit each consumes. */
const UNIT_KIND: Readonly<Record<string, 'read' | 'write'>> = {
  GetItem: 'read',
  BatchGetItem: 'read',
  Query: 'read',
  Scan: 'read',
  TransactGetItems: 'read',
  PutItem: 'write',
  UpdateItem: 'write',
  DeleteItem: 'write',
  BatchWriteItem: 'write',
  TransactWriteItems: 'write',
};

export interface CapacityUnits {
  readonly read: number;
  readonly write: number;
}

export interface CapacityTally {
  attach(client: MiddlewareClient): void;
  units(): CapacityUnits;
  reset(): void;
}

interface CapacityEntry {
  readonly CapacityUnits?: number;
}

export function createCapacityTally(): CapacityTally {
  let read = 0;
  let write = 0;
  return {
    attach(client) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const kind = UNIT_KIND[(context.commandName ?? '').replace(/Command$/, '')];
          if (kind === undefined) return next(args);
          const input = args.input as { ReturnConsumedCapacity?: string };
          const result = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } });
          const consumed = unitsOf((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
          if (kind === 'read') read += consumed;
          else write += consumed;
          return result;
        },
        { step: 'initialize', name: CONSUMED_CAPACITY_MIDDLEWARE, override: true },
      );
    },
    units: () => ({ read, write }),
    reset() {
      read = 0;
      write = 0;
    },
  };
}

/** A single request answers one entry, a batch one per table. */
function unitsOf(consumed: unknown): number {
  const entries = (Array.isArray(consumed) ? consumed : [consumed]) as (CapacityEntry | undefined)[];
  return entries.reduce((sum, entry) => sum + (entry?.CapacityUnits ?? 0), 0);
}

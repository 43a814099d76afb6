/**
 * Seeded DynamoDB faults on a client that talks to DynamoDB Local, added as SDK middleware:
 *  - batch reads and writes leave part of their keys or items unprocessed (DynamoDB Local never does),
 *    which the state store must resend;
 *  - a BatchWriteItem fails whole, as one does after the SDK's own retries ran out. Coming after a
 *    publish, it is the "crash between publish and save" that makes a duplicate unavoidable.
 */
import {
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  type BatchWriteItemCommandInput,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import type { InitializeHandler, InitializeHandlerArguments, InitializeHandlerOutput } from '@smithy/types';
import { mulberry32, type Random } from '../../sandbox/seeded-random.js';

export interface DynamoDbFaultRates {
  /** Share of batch calls that leave about half of their requests unprocessed. */
  readonly unprocessedRate?: number;
  /** Share of BatchWriteItem calls that fail whole with ProvisionedThroughputExceededException. */
  readonly writeFailureRate?: number;
}

export interface DynamoDbFaults {
  setFaults(rates: DynamoDbFaultRates): void;
  readonly injected: { readonly unprocessedCalls: number; readonly failedWrites: number };
}

export function injectDynamoDbFaults(client: DynamoDBClient, seed: number): DynamoDbFaults {
  const random = mulberry32(seed);
  let rates: DynamoDbFaultRates = {};
  let unprocessedCalls = 0;
  let failedWrites = 0;

  const middleware =
    (next: InitializeHandler<object, object>, context: { commandName?: string }) =>
    async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
      const command = context.commandName;
      if (command === 'BatchWriteItemCommand' && random() < (rates.writeFailureRate ?? 0)) {
        failedWrites += 1;
        throw new ProvisionedThroughputExceededException({
          message: 'The level of configured provisioned throughput for the table was exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      }
      if (command !== 'BatchWriteItemCommand' && command !== 'BatchGetItemCommand') return next(args);
      if (!(random() < (rates.unprocessedRate ?? 0))) return next(args);
      unprocessedCalls += 1;
      return command === 'BatchWriteItemCommand'
        ? holdBackWrites(next, args as InitializeHandlerArguments<BatchWriteItemCommandInput>, random)
        : holdBackReads(next, args as InitializeHandlerArguments<BatchGetItemCommandInput>, random);
    };

  client.middlewareStack.add(middleware as never, { step: 'initialize', name: 'injectDynamoDbFaults' });

  return {
    setFaults(next) {
      rates = next;
    },
    get injected() {
      return { unprocessedCalls, failedWrites };
    },
  };
}

/** Sends a random part of the items and answers the rest as UnprocessedItems, untouched. */
async function holdBackWrites(
  next: InitializeHandler<object, object>,
  args: InitializeHandlerArguments<BatchWriteItemCommandInput>,
  random: Random,
): Promise<InitializeHandlerOutput<object>> {
  const requestItems = args.input.RequestItems ?? {};
  const sent: NonNullable<BatchWriteItemCommandInput['RequestItems']> = {};
  const heldBack: NonNullable<BatchWriteItemCommandInput['RequestItems']> = {};
  for (const [table, requests] of Object.entries(requestItems)) {
    const [kept, held] = split(requests, random);
    if (kept.length > 0) sent[table] = kept;
    if (held.length > 0) heldBack[table] = held;
  }
  const output =
    Object.keys(sent).length === 0
      ? { output: { $metadata: {} } as BatchWriteItemCommandOutput, response: {} }
      : ((await next({ ...args, input: { ...args.input, RequestItems: sent } })) as {
          output: BatchWriteItemCommandOutput;
          response: unknown;
        });
  return { ...output, output: { ...output.output, UnprocessedItems: heldBack } };
}

/** Reads a random part of the keys and answers the rest as UnprocessedKeys. */
async function holdBackReads(
  next: InitializeHandler<object, object>,
  args: InitializeHandlerArguments<BatchGetItemCommandInput>,
  random: Random,
): Promise<InitializeHandlerOutput<object>> {
  const requestItems = args.input.RequestItems ?? {};
  const sent: NonNullable<BatchGetItemCommandInput['RequestItems']> = {};
  const heldBack: NonNullable<BatchGetItemCommandInput['RequestItems']> = {};
  for (const [table, request] of Object.entries(requestItems)) {
    const [kept, held] = split(request.Keys ?? [], random);
    if (kept.length > 0) sent[table] = { ...request, Keys: kept };
    if (held.length > 0) heldBack[table] = { ...request, Keys: held };
  }
  const output =
    Object.keys(sent).length === 0
      ? { output: { $metadata: {}, Responses: {} } as BatchGetItemCommandOutput, response: {} }
      : ((await next({ ...args, input: { ...args.input, RequestItems: sent } })) as {
          output: BatchGetItemCommandOutput;
          response: unknown;
        });
  return { ...output, output: { ...output.output, UnprocessedKeys: heldBack } };
}

function split<T>(items: readonly T[], random: Random): [T[], T[]] {
  const kept: T[] = [];
  const held: T[] = [];
  for (const item of items) (random() < 0.5 ? held : kept).push(item);
  return [kept, held];
}

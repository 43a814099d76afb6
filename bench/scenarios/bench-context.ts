/** What every scenario shares: the DynamoDB Local of the bench run, the runs' clock and a progress log. */
import { AWS_LATENCY, BENCH_PROCESS_ID } from '../bench-model.js';
import type { MidaxoAccess } from '../poller/poller-target.js';
import type { PollerInit } from '../processes/poller-remote.js';

export interface BenchContext {
  readonly dynamoDbEndpoint: string;
  /** Offset of the runs' clock from the system clock, handed to each child process. */
  readonly clockOffsetMs: number;
  /** A fresh, empty state table; its name. */
  createTable(): Promise<string>;
  /** One line of progress on stderr. */
  progress(message: string): void;
}

/** A poller child of the bench process against `midaxo`, with the context's DynamoDB, clock and AWS latency. */
export function benchPollerInit(
  context: BenchContext,
  midaxo: MidaxoAccess,
  keepMessages: boolean,
): PollerInit {
  return {
    midaxo,
    dynamoDbEndpoint: context.dynamoDbEndpoint,
    processId: BENCH_PROCESS_ID,
    clockOffsetMs: context.clockOffsetMs,
    awsLatency: AWS_LATENCY,
    keepMessages,
  };
}

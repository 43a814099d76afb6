/**
 * What a bench poller polls and where it keeps state, and the Lambda environment that says so. The real
 * poller reads this environment through its own config loader, its workspace from the state table as
 * deployed; the naive one reads the same settings from it, so both run with the same overlap, ignored
 * fields and event source.
 */

import type { Clock } from '../../shared/core/ports.js';
import type { ProcessSummary } from '../../shared/core/scan-listing.js';
import * as z from '../../shared/support/schema.js';
import type { BenchAwsClients } from '../aws/bench-aws-clients.js';
import { BENCH_SECRET_ID, BENCH_TOPIC_ARN } from '../bench-model.js';

export interface MidaxoAccess {
  readonly apiUrl: string;
  readonly authUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * How a child process reads its `MidaxoAccess` and `AwsLatency` from its argument: with the poller's own
 * zod/mini, so a bundle of the bench's poller brings no more of zod than the Lambda's does.
 */
export const nonEmpty = () => z.string().check(z.minLength(1));
const atLeastZero = () => z.number().check(z.gte(0));
export const midaxoAccessSchema = z.object({
  apiUrl: z.url(),
  authUrl: z.url(),
  clientId: nonEmpty(),
  clientSecret: nonEmpty(),
}) satisfies z.ZodMiniType<MidaxoAccess>;
export const awsLatencySchema = z.object({ dynamodbMs: atLeastZero(), snsMs: atLeastZero() });

/** What a poller child (a warm one, or a cold-start container) is told of its target, as a schema's shape. */
export const pollerChildShape = {
  midaxo: midaxoAccessSchema,
  dynamoDbEndpoint: z.url(),
  processId: nonEmpty(),
  clockOffsetMs: z.number(),
  awsLatency: awsLatencySchema,
};

export interface PollerTarget {
  readonly midaxo: MidaxoAccess;
  readonly processId: string;
  readonly tableName: string;
  readonly aws: BenchAwsClients;
  readonly clock: Clock;
}

/** One poll of one process, whichever implementation ran it. */
export interface BenchPoller {
  run(): Promise<ProcessSummary>;
}

/** The environment of a poller of the target, without the workspaces: where Midaxo, state and topic are. */
export function pollerSettings(target: Pick<PollerTarget, 'midaxo' | 'tableName'>) {
  return {
    MIDAXO_INSTANCE: 'eu',
    MIDAXO_API_URL: target.midaxo.apiUrl,
    MIDAXO_AUTH_URL: target.midaxo.authUrl,
    STATE_TABLE_NAME: target.tableName,
    TOPIC_ARN: BENCH_TOPIC_ARN,
    // As the stack sets it for a configuration with no email target of each change (cdk.json's example).
    SNS_EMAIL_TEXT: 'false',
  };
}

/** The environment of a poller of the target that lists its one workspace in the environment itself. */
export function pollerEnvironment(target: Pick<PollerTarget, 'midaxo' | 'processId' | 'tableName'>) {
  return {
    ...pollerSettings(target),
    MIDAXO_SECRET_ID: BENCH_SECRET_ID,
    MIDAXO_PROCESS_IDS: target.processId,
  };
}

/** The target's one workspace, as the stack stores it in the state table. */
export function benchWorkspaces(target: Pick<PollerTarget, 'processId'>) {
  return [{ name: 'bench', secretId: BENCH_SECRET_ID, processIds: [target.processId] }];
}

/** The Secrets Manager content the poller expects for the sandbox's client. */
export function midaxoSecrets(midaxo: MidaxoAccess): Record<string, string> {
  return {
    [BENCH_SECRET_ID]: JSON.stringify({ client_id: midaxo.clientId, client_secret: midaxo.clientSecret }),
  };
}

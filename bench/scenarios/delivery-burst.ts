/**
 * `npm run bench -- --only delivery`: a burst of 1,000 changes, published at once, through a Slack
 * target and an email digest target as the stack deploys them (batch size, batching window, visibility
 * timeout, receives before the dead-letter queue), driven through the real worker handlers on a
 * simulated clock (event-source-mapping.ts): the Slack worker posts to a stand-in Slack that takes one
 * message a second with a burst of 10 and answers 429 + Retry-After beyond; the email worker publishes
 * to an in-process SNS. And the normal case: one change, and how long it takes to reach Slack.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Duration } from 'aws-cdk-lib';
import { DEFAULT_DIGEST_MINUTES } from '../../infra/config/notifier-config.js';
import { EMAIL_DIGEST_BATCHING, EMAIL_DIGEST_WORKER_TIMEOUT } from '../../infra/constructs/email-digest.js';
import {
  DEFAULT_OUTAGE_TOLERANCE,
  defaultMaxReceiveCount,
  VISIBILITY_PER_TIMEOUT,
} from '../../infra/constructs/paced-target-queue.js';
import { SLACK_BATCHING, SLACK_WORKER_TIMEOUT } from '../../infra/constructs/slack-forwarder.js';
import { createEmailDigestWorkerHandler } from '../../lambdas/email-digest-worker/create-email-digest-worker-handler.js';
import { createSlackForwarderHandler } from '../../lambdas/slack-forwarder/create-slack-forwarder-handler.js';
import { createSecretsManagerStandIn } from '../aws/secrets-manager-stand-in.js';
import { createSnsStandIn } from '../aws/sns-stand-in.js';
import { BURST_START, burstEvents, queuedMessagesOf } from '../delivery/burst-events.js';
import { drainThroughMapping, type MappingSettings, type Worker } from '../delivery/event-source-mapping.js';
import { createSimulatedClock, type SimulatedClock } from '../delivery/simulated-clock.js';
import { createSlackStandIn } from '../delivery/slack-stand-in.js';

const BURST_CHANGES = 1_000;
const SECRET_ID = 'midaxo/slack-bench';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:bench-email-digest';
/** The handlers log every invocation as JSON; the bench prints figures only. */
const quietLogger = () => new Logger({ serviceName: 'bench-delivery', logLevel: 'SILENT' });

export interface TargetFigures {
  /** Slack posts or emails sent. */
  readonly messagesSent: number;
  /** Events the messages say they carry (1 for a single event's message, the digest's count else). */
  readonly eventsCounted: number;
  readonly eventsDelivered: number;
  readonly deadLettered: number;
  readonly invocations: number;
  /** From the burst's publish to the last message out of the queue. */
  readonly minutesToDrain: number;
  /** 429s Slack answered (0 for email). */
  readonly throttled: number;
}

export interface DeliveryBurstResults {
  readonly changes: number;
  readonly slack: TargetFigures;
  readonly email: TargetFigures;
  /** One change on its own: from its publish to its post in Slack. */
  readonly singleChangeToSlackMs: number;
  readonly slackBatchingWindowMs: number;
  readonly digestMinutes: number;
}

function mappingOf(
  batching: { batchSize: number; maxBatchingWindow: Duration },
  workerTimeout: Duration,
): MappingSettings {
  const visibility = Duration.seconds(workerTimeout.toSeconds() * VISIBILITY_PER_TIMEOUT);
  return {
    batchSize: batching.batchSize,
    maxBatchingWindowMs: batching.maxBatchingWindow.toMilliseconds(),
    visibilityTimeoutMs: visibility.toMilliseconds(),
    maxReceiveCount: defaultMaxReceiveCount(DEFAULT_OUTAGE_TOLERANCE, visibility),
    functionTimeoutMs: workerTimeout.toMilliseconds(),
  };
}

const SLACK_MAPPING = mappingOf(SLACK_BATCHING, SLACK_WORKER_TIMEOUT);
const EMAIL_MAPPING = mappingOf(
  { ...EMAIL_DIGEST_BATCHING, maxBatchingWindow: Duration.minutes(DEFAULT_DIGEST_MINUTES) },
  EMAIL_DIGEST_WORKER_TIMEOUT,
);

/** How many events a rendered message says it carries: a digest's "N changes", else one. */
export function eventsIn(text: string): number {
  const digest = /(\d[\d,]*) changes? to \d[\d,]* deals?/.exec(text);
  return digest === null ? 1 : Number(digest[1]?.replace(/,/g, ''));
}

interface DeliveryTarget {
  readonly clock: SimulatedClock;
  readonly worker: Worker;
}

function slackTarget() {
  const clock = createSimulatedClock(BURST_START);
  const slack = createSlackStandIn({ clock, messagesPerSecond: 1, burst: 10, retryAfterSeconds: 1 });
  const handler = createSlackForwarderHandler({
    env: { SLACK_WEBHOOK_SECRET_ID: SECRET_ID },
    secretsManager: createSecretsManagerStandIn({
      [SECRET_ID]: JSON.stringify({ webhookUrl: 'https://hooks.slack.com/services/T0/B0/bench' }),
    }),
    fetch: slack.fetch,
    clock,
    random: () => 0.5,
    logger: quietLogger(),
  });
  return { clock, slack, worker: handler as unknown as Worker };
}

function emailTarget() {
  const clock = createSimulatedClock(BURST_START);
  const sns = createSnsStandIn();
  const handler = createEmailDigestWorkerHandler({
    env: { DIGEST_TOPIC_ARN: TOPIC_ARN },
    sns: sns.client,
    clock,
    random: () => 0.5,
    logger: quietLogger(),
  });
  return { clock, sns, worker: handler as unknown as Worker };
}

/** `changes` events queued at once for `target`, drained through its mapping: the figures every target has. */
async function burstThrough(
  changes: number,
  mapping: MappingSettings,
  { clock, worker }: DeliveryTarget,
): Promise<Pick<TargetFigures, 'eventsDelivered' | 'deadLettered' | 'invocations' | 'minutesToDrain'>> {
  const arrivals = queuedMessagesOf(burstEvents(changes)).map((message) => ({ message, at: BURST_START }));
  const outcome = await drainThroughMapping(arrivals, mapping, worker, clock);
  return {
    eventsDelivered: outcome.delivered.length,
    deadLettered: outcome.deadLettered.length,
    invocations: outcome.invocations,
    minutesToDrain: (outcome.drainedAt - BURST_START) / 60_000,
  };
}

async function slackBurst(changes: number): Promise<TargetFigures> {
  const target = slackTarget();
  const drained = await burstThrough(changes, SLACK_MAPPING, target);
  const { posted, tally } = target.slack;
  return {
    ...drained,
    messagesSent: posted.length,
    eventsCounted: posted.reduce((sum, post) => sum + eventsIn(JSON.stringify(post)), 0),
    throttled: tally.throttled,
  };
}

async function emailBurst(changes: number): Promise<TargetFigures> {
  const target = emailTarget();
  const drained = await burstThrough(changes, EMAIL_MAPPING, target);
  const emails = target.sns.takeMessages();
  return {
    ...drained,
    messagesSent: emails.length,
    eventsCounted: emails.reduce((sum, body) => sum + eventsIn(body.split('\n')[0] ?? ''), 0),
    throttled: 0,
  };
}

async function singleChangeToSlack(): Promise<number> {
  const { clock, slack, worker } = slackTarget();
  const [message] = queuedMessagesOf(burstEvents(1));
  if (message === undefined) throw new Error('no event to send');
  const outcome = await drainThroughMapping([{ message, at: BURST_START }], SLACK_MAPPING, worker, clock);
  const postedAt = outcome.deliveredAt.get(message.messageId);
  if (postedAt === undefined || slack.posted.length !== 1)
    throw new Error('the single change was not posted');
  return postedAt - BURST_START;
}

export async function runDeliveryBurstScenario(
  context: { progress(message: string): void },
  changes = BURST_CHANGES,
): Promise<DeliveryBurstResults> {
  context.progress(`delivery: a burst of ${changes} changes to one Slack target and one email digest target`);
  return {
    changes,
    slack: await slackBurst(changes),
    email: await emailBurst(changes),
    singleChangeToSlackMs: await singleChangeToSlack(),
    slackBatchingWindowMs: SLACK_MAPPING.maxBatchingWindowMs,
    digestMinutes: DEFAULT_DIGEST_MINUTES,
  };
}

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityBatchCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulatedClock, type SimulatedClock } from '../../../bench/delivery/simulated-clock.js';
import { createWebhookKeyHandler } from '../../../lambdas/webhook-key-generator/create-webhook-key-handler.js';
import { createWebhookWorkerHandler } from '../../../lambdas/webhook-worker/create-webhook-worker-handler.js';
import { ConfigError } from '../../../shared/config/config-error.js';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';
import { eventJson } from '../../../shared/core/event-json.js';
import {
  METRICS_NAMESPACE,
  SERVICE_NAME,
  WEBHOOK_ENDPOINT_DIMENSION,
  WebhookMetricName,
} from '../../../shared/observability/metric-names.js';

const sqs = mockClient(SQSClient);
const dynamodb = mockClient(DynamoDBClient);
const secretsManager = mockClient(SecretsManagerClient);

const key = () => `whsec_${randomBytes(32).toString('base64')}`;
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/hooks';
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/hooks-dlq';
/** Deployed, the worker takes https only; the test's receiver is a local http server standing in for it. */
const DEPLOYED_URL = 'https://crm.example.com/hooks/midaxo';
const INVOCATION_MS = 60_000;
/** The queue's own visibility timeout, for messages the worker handed back without changing it. */
const QUEUE_VISIBILITY_MS = 300_000;

interface Received {
  readonly id: string;
  readonly body: string;
  readonly at: number;
  readonly verified: boolean;
}

/** A receiver as a user writes it: the `standardwebhooks` library with its secret, on the raw body. */
class Receiver {
  readonly received: Received[] = [];
  status = 204;
  secret = '';
  private server: Server | undefined;
  url = '';
  constructor(private readonly clock: SimulatedClock) {}

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      this.received.push({
        id: String(req.headers['webhook-id']),
        body,
        at: this.clock.now(),
        verified: this.verifies(body, req.headers),
      });
      res.writeHead(this.status).end();
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/midaxo`;
  }

  /** The library checks the timestamp against Date.now: the simulated clock stands in for it. */
  private verifies(body: string, headers: IncomingHttpHeaders): boolean {
    const realNow = Date.now;
    Date.now = () => this.clock.now();
    try {
      new Webhook(this.secret).verify(body, headers as Record<string, string>);
      return true;
    } catch {
      return false;
    } finally {
      Date.now = realNow;
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}

/** The deployed worker's environment, as the stack sets it, and its AWS clients (mocked). */
function workerSetting(url: string, maxPerSecond = 10) {
  return {
    env: {
      WEBHOOK_NAME: 'crm',
      WEBHOOK_URL: url,
      WEBHOOK_SECRET_ID: 'crm-signing-key',
      WEBHOOK_MAX_PER_SECOND: String(maxPerSecond),
      WEBHOOK_CONCURRENCY: '2',
      QUEUE_URL,
      DEAD_LETTER_QUEUE_URL: DLQ_URL,
      STATE_TABLE_NAME: 'state',
    },
    sqs: new SQSClient({ region: 'eu-west-1' }),
    dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
    secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
  };
}

/** A fetch that sends what the worker addresses to the deployed URL to the local receiver, as sent. */
function standIn(receiverUrl: string): typeof fetch {
  return (input, init) => {
    if (String(input) !== DEPLOYED_URL) throw new Error(`unexpected request to ${String(input)}`);
    return fetch(receiverUrl, init);
  };
}

interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  visibleAt: number;
  receipt: number;
}

/** SQS and the event source mapping around the real handler, on the simulated clock. */
class SimulatedEndpoint {
  readonly queue: QueuedMessage[] = [];
  readonly deadLetters: { body: string; reason: string }[] = [];
  disabledItem: Record<string, unknown> | undefined;
  invocations = 0;
  /** When each invocation started, in order. */
  readonly invocationStarts: number[] = [];
  private receipts = 0;
  private readonly handler;

  /** `receiverUrl` is the local server that stands in for the deployed https:// URL. */
  constructor(
    private readonly clock: SimulatedClock,
    receiverUrl: string,
    options: { maxPerSecond?: number; fetch?: typeof fetch; metrics?: Metrics } = {},
  ) {
    sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => {
      for (const entry of input.Entries ?? []) {
        const message = this.queue.find((m) => String(m.receipt) === entry.ReceiptHandle);
        if (message) message.visibleAt = this.clock.now() + (entry.VisibilityTimeout ?? 0) * 1000;
      }
      return {};
    });
    sqs.on(SendMessageBatchCommand).callsFake((input) => {
      for (const entry of input.Entries ?? []) {
        this.deadLetters.push({
          body: entry.MessageBody ?? '',
          reason: entry.MessageAttributes?.deadLetterReason?.StringValue ?? '',
        });
      }
      return { Successful: (input.Entries ?? []).map((e: { Id: string }) => ({ Id: e.Id })) };
    });
    dynamodb.on(GetItemCommand).callsFake(() => ({ Item: this.disabledItem }));
    dynamodb.on(PutItemCommand).callsFake((input) => {
      this.disabledItem ??= input.Item;
      return {};
    });
    this.handler = createWebhookWorkerHandler({
      ...workerSetting(DEPLOYED_URL, options.maxPerSecond),
      fetch: options.fetch ?? standIn(receiverUrl),
      metrics: options.metrics,
      clock,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
  }

  enqueue(bodies: readonly string[]): void {
    for (const body of bodies) {
      this.queue.push({
        messageId: `m-${this.queue.length}-${this.clock.now()}`,
        body,
        sentAt: this.clock.now(),
        visibleAt: this.clock.now(),
        receipt: 0,
      });
    }
  }

  /** Invokes the worker with the visible messages (up to `batchSize`) until none is visible now. */
  async drainVisible(batchSize = 100): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const batch = this.queue.filter((m) => m.visibleAt <= now).slice(0, batchSize);
      if (batch.length === 0) return;
      for (const message of batch) {
        message.receipt = ++this.receipts;
        message.visibleAt = now + QUEUE_VISIBILITY_MS;
      }
      const deadline = now + INVOCATION_MS;
      this.invocationStarts.push(now);
      const context = {
        getRemainingTimeInMillis: () => deadline - this.clock.now(),
        awsRequestId: `req-${++this.invocations}`,
      } as unknown as Context;
      const event = {
        Records: batch.map((m) => ({
          eventSource: 'aws:sqs',
          messageId: m.messageId,
          body: m.body,
          receiptHandle: String(m.receipt),
          attributes: { SentTimestamp: String(m.sentAt) },
        })),
      };
      const { batchItemFailures } = await this.handler(event, context);
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      for (const message of batch) {
        if (!failed.has(message.messageId)) this.queue.splice(this.queue.indexOf(message), 1);
      }
    }
  }

  /** Runs the queue until `untilMs`, jumping from one visibility to the next. */
  async runUntil(untilMs: number): Promise<void> {
    for (;;) {
      await this.drainVisible();
      const next = Math.min(...this.queue.map((m) => m.visibleAt));
      if (!Number.isFinite(next) || next > untilMs) break;
      this.clock.advance(next - this.clock.now());
    }
    if (this.clock.now() < untilMs) this.clock.advance(untilMs - this.clock.now());
  }
}

function events(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) =>
    eventJson(
      buildChangeEvent({
        kind: 'updated',
        sourceBase: 'https://api.app-eu.midaxo.com',
        processId: 'proc-1',
        projectId: `prj-${(from + i) % 7}`,
        hash: `hash-${from + i}`,
        sequence: from + i,
        changes: [{ path: '/stage', before: 'Sourcing', after: `Stage ${from + i}` }],
        project: { id: `prj-${(from + i) % 7}`, stage: `Stage ${from + i}` },
        detectedAt: new Date('2026-06-01T12:00:00Z'),
      }),
    ),
  );
}

/** A Metrics whose every flush (the middleware's, at the end of each invocation) is kept as EMF. */
function capturedMetrics() {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const published: Record<string, unknown>[] = [];
  metrics.publishStoredMetrics = () => {
    published.push(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    metrics.clearMetrics();
    return metrics;
  };
  return { metrics, published };
}

const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;

const WEBHOOKS_DOC = readFileSync(new URL('../../../docs/webhooks.md', import.meta.url), 'utf8');

/**
 * The key as docs/webhooks.md tells a user to read it from a created secret:
 * `aws secretsmanager get-secret-value … --query SecretString --output text | jq -r <filter>`, the CLI's
 * part stood in by the SecretString, jq's run when jq is installed.
 */
function keyReadAsDocumented(secretString: string): string {
  const filter = /--query SecretString --output text \| jq -r (\S+)\n/.exec(WEBHOOKS_DOC)?.[1];
  expect(filter).toBe('.current');
  const jq = spawnSync('jq', ['-r', filter ?? ''], { input: `${secretString}\n`, encoding: 'utf8' });
  if (jq.error === undefined) return jq.stdout.trim();
  return (JSON.parse(secretString) as { current: string }).current;
}
const HOUR = 3_600_000;

describe('deployed webhook worker', () => {
  let clock: SimulatedClock;
  let receiver: Receiver;

  beforeAll(async () => {
    clock = createSimulatedClock(Date.parse('2026-06-01T12:00:00Z'));
    receiver = new Receiver(clock);
    await receiver.start();
  });
  afterAll(() => receiver.stop());
  beforeEach(() => {
    sqs.reset();
    dynamodb.reset();
    secretsManager.reset();
    receiver.received.length = 0;
    receiver.status = 204;
    receiver.secret = key();
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: receiver.secret });
  });

  it('delivers each event as the local mode does: the event JSON, webhook-id = event id, verified by standardwebhooks', async () => {
    const endpoint = new SimulatedEndpoint(clock, receiver.url);
    const bodies = events(5);
    endpoint.enqueue(bodies);

    await endpoint.drainVisible();

    expect(receiver.received.map((r) => r.body)).toEqual(bodies);
    expect(receiver.received.map((r) => r.id)).toEqual(bodies.map(idOf));
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(endpoint.queue).toHaveLength(0);
  });

  it('gives a receiver down for 6 hours every event afterwards, duplicates only under the same webhook-id', async () => {
    const endpoint = new SimulatedEndpoint(clock, receiver.url);
    const start = clock.now();
    receiver.status = 503;
    const bodies = events(30);
    for (let minute = 0; minute < 30; minute++) {
      endpoint.enqueue(bodies.slice(minute, minute + 1));
      await endpoint.runUntil(start + (minute + 1) * 60_000);
    }
    await endpoint.runUntil(start + 6 * HOUR);
    const triedWhileDown = receiver.received.length;
    receiver.status = 200;
    await endpoint.runUntil(start + 24 * HOUR);

    const afterwards = receiver.received.slice(triedWhileDown);
    expect(new Set(afterwards.map((r) => r.id))).toEqual(new Set(bodies.map(idOf)));
    expect(afterwards).toHaveLength(bodies.length);
    for (const r of receiver.received) expect(r.body).toBe(bodies.find((b) => idOf(b) === r.id));
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(endpoint.queue).toHaveLength(0);
    expect(endpoint.deadLetters).toHaveLength(0);
    // The schedule, not a storm: a handful of attempts per event while it was down.
    expect(triedWhileDown).toBeLessThan(bodies.length * 8);
  });

  it('retries for up to 3 days, then puts the event into the dead-letter queue', async () => {
    const endpoint = new SimulatedEndpoint(clock, receiver.url);
    const start = clock.now();
    receiver.status = 500;
    endpoint.enqueue(events(1));

    await endpoint.runUntil(start + 4 * 24 * HOUR);

    const attempts = receiver.received.map((r) => (r.at - start) / 1000);
    expect(attempts.at(-1)).toBeLessThanOrEqual(3 * 86_400);
    expect(attempts.slice(0, 4)).toEqual([0, 5, 305, 2105]);
    expect(endpoint.deadLetters).toEqual([{ body: events(1)[0], reason: 'not taken within 3 days' }]);
    expect(endpoint.queue).toHaveLength(0);
  });

  it('disables the endpoint on 410 Gone, records it, alarms, and keeps every undelivered event in the dead-letter queue', async () => {
    const { metrics, published } = capturedMetrics();
    const endpoint = new SimulatedEndpoint(clock, receiver.url, { metrics });
    receiver.status = 410;
    const bodies = events(12);
    endpoint.enqueue(bodies.slice(0, 8));
    await endpoint.drainVisible();
    receiver.status = 204;
    endpoint.enqueue(bodies.slice(8));
    await endpoint.drainVisible();

    expect(receiver.received).toHaveLength(1);
    expect(endpoint.disabledItem).toMatchObject({ pk: { S: 'WEBHOOK#crm' }, reason: { S: 'HTTP 410 Gone' } });
    expect(endpoint.deadLetters.map((d) => d.body)).toEqual(bodies);
    expect(endpoint.queue).toHaveLength(0);
    // What the WebhookDisabled alarm watches: the metric, under the dimensions the alarm names.
    expect(published.map((emf) => emf[WebhookMetricName.EndpointDisabled])).toEqual([1, 1]);
    expect(published[0]).toMatchObject({
      [WEBHOOK_ENDPOINT_DIMENSION]: 'crm',
      service: SERVICE_NAME,
      _aws: { CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE }] },
    });
  });

  it('keeps a burst of 1,000 events within maxPerSecond, counted per simulated second', async () => {
    const endpoint = new SimulatedEndpoint(clock, receiver.url, { maxPerSecond: 10 });
    const bodies = events(1000);
    endpoint.enqueue(bodies);

    await endpoint.runUntil(clock.now() + HOUR);

    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1000);
    const perSecond = new Map<number, number>();
    for (const r of receiver.received) {
      const second = Math.floor(r.at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    // One invocation at a time here, paced to its share (maxPerSecond / maximum concurrency of 2).
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10);
  });

  it('starts no send without the attempt timeout and a margin for its queue calls left in the invocation', async () => {
    // A batch of 100 at one send a second (the share of maxPerSecond 2) does not fit one invocation.
    const endpoint = new SimulatedEndpoint(clock, receiver.url, { maxPerSecond: 2 });
    endpoint.enqueue(events(100));

    await endpoint.drainVisible();

    expect(endpoint.invocationStarts.length).toBeGreaterThan(1);
    for (const { at } of receiver.received) {
      const start = endpoint.invocationStarts.filter((s) => s <= at).at(-1) ?? 0;
      // 10 s for the attempt, 2 s for the visibility and dead-letter calls and the answer.
      expect(start + INVOCATION_MS - at).toBeGreaterThanOrEqual(12_000);
    }
  });

  it('signs with both keys during a rotation overlap, and with the new one only after it', async () => {
    const endpoint = new SimulatedEndpoint(clock, receiver.url);
    const oldKey = receiver.secret;
    const newKey = key();
    const overlapEnds = new Date(clock.now() + HOUR).toISOString();
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ current: newKey, previous: oldKey, previousUntil: overlapEnds }),
    });
    // The cached old value is read again within five minutes.
    clock.advance(5 * 60_000 + 1000);
    endpoint.enqueue(events(1));
    await endpoint.drainVisible();
    receiver.secret = newKey;
    endpoint.enqueue(events(1, 2));
    await endpoint.drainVisible();
    clock.advance(HOUR);
    endpoint.enqueue(events(1, 3));
    await endpoint.drainVisible();
    receiver.secret = oldKey;
    endpoint.enqueue(events(1, 4));
    await endpoint.drainVisible();

    expect(receiver.received.map((r) => r.verified)).toEqual([true, true, true, false]);
  });
  it('verifies with the key of a secret the stack created, read as docs/webhooks.md says', async () => {
    // The deploy: the custom resource fills the empty secret; the worker later reads what it put.
    secretsManager.on(DescribeSecretCommand).resolves({ VersionIdsToStages: {} });
    secretsManager.on(PutSecretValueCommand).resolves({});
    await createWebhookKeyHandler({
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      fetch: async () => new Response(null, { status: 200 }),
      log: () => {},
    })({
      RequestType: 'Create',
      ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/x',
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'SigningKey',
      ResourceProperties: { SecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:crm-AbC123' },
    });
    const created = secretsManager.commandCalls(PutSecretValueCommand)[0]?.args[0].input.SecretString ?? '';
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: created });
    receiver.secret = keyReadAsDocumented(created);
    const endpoint = new SimulatedEndpoint(clock, receiver.url);
    const bodies = events(3);
    endpoint.enqueue(bodies);

    await endpoint.drainVisible();

    expect(receiver.secret).toMatch(/^whsec_/);
    expect(receiver.received.map((r) => r.body)).toEqual(bodies);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });

  it('keeps the batch queued on a malformed secret, naming the secret and the field, never a key', async () => {
    const leaked = key();
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ current: leaked, previous: 'whsec_tooShort' }) });
    const endpoint = new SimulatedEndpoint(clock, receiver.url);
    endpoint.enqueue(events(2));

    const failing = endpoint.drainVisible();

    await expect(failing).rejects.toThrow(
      /Secret crm-signing-key is not a usable webhook signing secret[\s\S]*- previous: expected base64 of 24 to 64 random bytes/,
    );
    await expect(failing).rejects.toThrow(/"previous" and "previousUntil" go together/);
    await expect(failing).rejects.not.toThrow(leaked.slice(6));
    expect(receiver.received).toHaveLength(0);
    expect(endpoint.queue).toHaveLength(2);
  });

  it('makes one attempt per batch on an endpoint that does not answer, not one per event', async () => {
    let attempts = 0;
    const noAnswer: typeof fetch = async () => {
      attempts++;
      throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    };
    const endpoint = new SimulatedEndpoint(clock, receiver.url, { fetch: noAnswer });
    endpoint.enqueue(events(20));

    await endpoint.drainVisible();

    expect(attempts).toBe(1);
    expect(endpoint.queue).toHaveLength(20);
  });

  it('refuses a plain http URL, even to localhost: deployed, it takes https only', () => {
    const start = (url: string) => createWebhookWorkerHandler(workerSetting(url));
    for (const url of [receiver.url, 'http://localhost/hooks', 'http://crm.example.com/hooks']) {
      expect(() => start(url)).toThrow(ConfigError);
      expect(() => start(url)).toThrow(/WEBHOOK_URL: expected an https:\/\/ URL .*even to localhost/);
    }
    expect(() => start(DEPLOYED_URL)).not.toThrow();
  });
});

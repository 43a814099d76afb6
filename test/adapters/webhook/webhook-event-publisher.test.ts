import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openSqliteWebhookQueue,
  type SqliteWebhookQueue,
} from '../../../shared/adapters/sqlite/sqlite-webhook-queue.js';
import { createWebhookSigner } from '../../../shared/adapters/webhook/standard-webhooks-signature.js';
import { WebhookConfigError } from '../../../shared/adapters/webhook/webhook-errors.js';
import {
  createWebhookEventPublisher,
  type WebhookEventPublisherOptions,
  type WebhookNotice,
} from '../../../shared/adapters/webhook/webhook-event-publisher.js';
import { WEBHOOK_RETRY_DELAYS_SECONDS } from '../../../shared/adapters/webhook/webhook-retry-schedule.js';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';
import type { ChangeEvent } from '../../../shared/core/change-event.js';

const KEY = randomBytes(32).toString('base64');
const SECRET = `whsec_${KEY}`;
const START = Date.parse('2026-06-01T12:00:00.000Z');

function event(projectId: string): ChangeEvent {
  return buildChangeEvent({
    kind: 'updated',
    sourceBase: 'https://api.app-eu.midaxo.com',
    processId: 'proc-1',
    projectId,
    hash: `hash-${projectId}`,
    sequence: 1,
    changes: [{ path: '/stage', before: 'Sourcing', after: 'Signing' }],
    project: { id: projectId, name: 'Falcon', stage: 'Signing' },
    detectedAt: new Date(START),
  });
}

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /**
   * What the `standardwebhooks` library, used as a receiver would, made of the delivery: the event, or
   * its error. It checks the timestamp against the real clock, so only tests on that clock look at it.
   */
  readonly verified: unknown;
}

type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'reset' | 'hang';

/** One loopback receiver; each path answers from its own script of replies, then 204. */
class Receiver {
  readonly received: Received[] = [];
  readonly replies = new Map<string, Reply[]>();
  /** Replies for a path once its script is used up. */
  readonly fallback = new Map<string, Reply>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const webhook = new Webhook(SECRET);
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '';
      this.received.push({
        path,
        headers: req.headers,
        body,
        verified: this.verify(webhook, body, req.headers),
      });
      const reply = this.replies.get(path)?.shift() ?? this.fallback.get(path) ?? { status: 204 };
      if (reply === 'hang') return;
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private verify(webhook: Webhook, body: string, headers: IncomingHttpHeaders): unknown {
    try {
      return webhook.verify(body, headers as Record<string, string>);
    } catch (e: unknown) {
      return e;
    }
  }

  ids(path: string): string[] {
    return this.received.filter((r) => r.path === path).map((r) => String(r.headers['webhook-id']));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
    if (this.server) await once(this.server, 'close');
  }
}

describe('webhook publisher', () => {
  let dir: string;
  let clock: number;
  let receiver: Receiver;
  let notices: WebhookNotice[];
  const queues: SqliteWebhookQueue[] = [];
  const openQueue = (path = join(dir, 'state.sqlite')) => {
    const queue = openSqliteWebhookQueue(path);
    queues.push(queue);
    return queue;
  };
  const publisherFor = (paths: string[], extra: Partial<WebhookEventPublisherOptions> = {}) =>
    createWebhookEventPublisher({
      urls: paths.map((path) => `${receiver.url}${path}`),
      secret: SECRET,
      queue: extra.queue ?? openQueue(),
      now: () => new Date(clock),
      onNotice: (notice) => notices.push(notice),
      ...extra,
    });
  const later = (seconds: number) => {
    clock += seconds * 1000;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webhooks-'));
    clock = START;
    notices = [];
    receiver = new Receiver();
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    for (const queue of queues.splice(0)) queue.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('POSTs every event to every webhook as structured CloudEvents that the standardwebhooks library verifies', async () => {
    clock = Date.now();
    const events = [event('prj-1'), event('prj-2')];

    await publisherFor(['/a', '/b?token=t']).publish(events);

    expect(receiver.received).toHaveLength(4);
    expect(receiver.received.map((r) => r.verified)).toEqual(
      [...events, ...events].map(() => expect.any(Object)),
    );
    expect(receiver.ids('/a').sort()).toEqual(events.map((e) => e.id).sort());
    expect(receiver.ids('/b?token=t').sort()).toEqual(events.map((e) => e.id).sort());
    const first = receiver.received.find((r) => r.headers['webhook-id'] === events[0]?.id);
    expect(first?.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(first?.headers['webhook-timestamp']).toBe(String(Math.floor(clock / 1000)));
    expect(first?.verified).toEqual(events[0]);
  });

  it('takes the secret with or without the whsec_ prefix, as the library does', async () => {
    clock = Date.now();

    await publisherFor(['/a'], { secret: KEY }).publish([event('prj-1')]);

    expect(receiver.received[0]?.verified).toEqual(event('prj-1'));
  });

  it('keeps delivering to a healthy webhook while another answers 410, which disables that one with a notice', async () => {
    receiver.fallback.set('/gone', { status: 410 });
    const publisher = publisherFor(['/gone', '/ok']);
    const batches = [[event('prj-1'), event('prj-2')], [event('prj-3')], [event('prj-4')]];

    for (const batch of batches) {
      await publisher.publish(batch);
      await publisher.retryDue();
      later(60);
    }

    expect(receiver.ids('/ok')).toEqual(batches.flat().map((e) => e.id));
    // Both events of the first publish may be in flight together; nothing is sent after the 410.
    expect(batches[0]?.map((e) => e.id)).toEqual(expect.arrayContaining(receiver.ids('/gone')));
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'disabled',
        message: expect.stringMatching(
          /^webhook 1 \(http:\/\/127\.0\.0\.1:\d+\): answered 410 Gone, so it gets nothing more until the next start/,
        ),
      }),
    ]);
    expect(publisher.status()).toEqual([
      expect.objectContaining({ disabled: true, queued: 0 }),
      expect.objectContaining({ disabled: false, queued: 0 }),
    ]);
  });

  it('queues what a failing webhook did not take, without sending anything twice to the healthy one, and retries it on schedule in order', async () => {
    receiver.replies.set('/down', [{ status: 503, body: 'maintenance' }, { status: 503 }]);
    const publisher = publisherFor(['/down', '/ok'], { concurrency: 1 });
    const first = [event('prj-1'), event('prj-2')];
    const second = [event('prj-3')];

    await publisher.publish(first);
    expect(notices.at(-1)?.message).toMatch(
      /webhook 1 .*: HTTP 503: maintenance; 2 events queued for it, next attempt in 5 s/,
    );
    later(1);
    await publisher.publish(second);
    await publisher.retryDue();
    expect(receiver.ids('/down')).toHaveLength(1);

    later(5);
    await publisher.retryDue();
    expect(notices.at(-1)?.message).toMatch(/HTTP 503; 3 events queued for it, next attempt in 30 s/);
    later(30);
    await publisher.retryDue();

    const all = [...first, ...second].map((e) => e.id);
    expect(receiver.ids('/ok')).toEqual(all);
    expect(receiver.ids('/down').slice(2)).toEqual(all);
    expect(notices.at(-1)).toMatchObject({ kind: 'caught-up' });
    expect(publisher.status()[0]?.queued).toBe(0);
  });

  it('gives up on a receiver that never answers after the timeout, queueing the event, and the healthy one is not held up', async () => {
    receiver.fallback.set('/silent', 'hang');
    const publisher = publisherFor(['/silent', '/ok'], { timeoutMs: 300 });

    await publisher.publish([event('prj-1')]);

    expect(receiver.ids('/ok')).toEqual([event('prj-1').id]);
    expect(notices.at(-1)?.message).toMatch(/webhook 1 .*: no answer within 300 ms; 1 event queued for it/);
    expect(publisher.status()[0]?.queued).toBe(1);
  });

  it('waits as long as a 429 Retry-After asks when that is longer than the schedule', async () => {
    receiver.replies.set('/busy', [{ status: 429, headers: { 'retry-after': '120' } }]);
    const publisher = publisherFor(['/busy']);

    await publisher.publish([event('prj-1')]);
    later(60);
    await publisher.retryDue();
    expect(receiver.received).toHaveLength(1);
    later(61);
    await publisher.retryDue();

    expect(receiver.received).toHaveLength(2);
    expect(publisher.status()[0]?.queued).toBe(0);
  });

  it('goes on with the next events when a receiver refuses one (4xx) and does not follow redirects', async () => {
    receiver.replies.set('/picky', [
      { status: 400, body: 'bad\u001b[31m payload' },
      { status: 301, headers: { location: 'https://elsewhere.example' } },
    ]);
    const publisher = publisherFor(['/picky'], { concurrency: 1 });

    await publisher.publish([event('prj-1'), event('prj-2'), event('prj-3')]);

    expect(receiver.ids('/picky')).toEqual(['prj-1', 'prj-2', 'prj-3'].map((id) => event(id).id));
    expect(publisher.status()[0]?.queued).toBe(2);
    expect(notices.map((n) => n.message).join('\n')).toContain('HTTP 400: bad payload');
    later(5);
    await publisher.retryDue();
    expect(publisher.status()[0]?.queued).toBe(0);
  });

  it("blanks out the receiver's path, query and the signing secret when its answer quotes them", async () => {
    const path = '/hooks/tok_9f3a7c2e51?key=query-secret-0042&v=2';
    receiver.replies.set(path, [
      {
        status: 400,
        body: `No route for POST ${path} (key query-secret-0042); signed with ${KEY.slice(4, 30)}`,
      },
    ]);
    const publisher = publisherFor([path]);

    await publisher.publish([event('prj-1')]);

    const said = notices.map((n) => n.message).join('\n');
    expect(said).toContain('HTTP 400: No route for POST [redacted]');
    expect(said).not.toMatch(/tok_9f3a7c2e51|query-secret-0042/);
    expect(said).not.toContain(KEY.slice(4, 30));
  });

  it('keeps the queue in the state file, so a restart retries what a receiver had not taken', async () => {
    receiver.replies.set('/down', ['reset']);
    const path = join(dir, 'kept.sqlite');
    const firstQueue = openSqliteWebhookQueue(path);
    await publisherFor(['/down'], { queue: firstQueue }).publish([event('prj-1')]);
    firstQueue.close();

    later(10);
    const restarted = publisherFor(['/down'], { queue: openQueue(path) });
    expect(restarted.status()[0]?.queued).toBe(1);
    await restarted.retryDue();

    expect(receiver.ids('/down')).toEqual([event('prj-1').id, event('prj-1').id]);
    expect(restarted.status()[0]?.queued).toBe(0);
  });

  it('after a restart, delivers what the previous run queued first, in sequence order, before newer events', async () => {
    const changeOf = (sequence: number) =>
      buildChangeEvent({
        kind: 'updated',
        sourceBase: 'https://api.app-eu.midaxo.com',
        processId: 'proc-1',
        projectId: 'prj-1',
        hash: `hash-${sequence}`,
        sequence,
        changes: [{ path: '/stage', before: 'Sourcing', after: `Stage ${sequence}` }],
        project: { id: 'prj-1', name: 'Falcon', stage: `Stage ${sequence}` },
        detectedAt: new Date(START),
      });
    const sequenceOf = (body: string) => (JSON.parse(body) as { sequence: string }).sequence;
    receiver.fallback.set('/flaky', { status: 503 });
    const path = join(dir, 'ordered.sqlite');
    const firstQueue = openSqliteWebhookQueue(path);
    const firstRun = publisherFor(['/flaky'], { queue: firstQueue });
    await firstRun.publish([changeOf(1), changeOf(2)]);
    later(5);
    await firstRun.retryDue();
    await firstRun.publish([changeOf(3)]);
    firstQueue.close();
    const triedBeforeRestart = receiver.received.length;

    // The receiver recovers while the runner is stopped; the pause of the previous run still holds.
    receiver.fallback.delete('/flaky');
    later(10);
    const restarted = publisherFor(['/flaky'], { queue: openQueue(path) });
    await restarted.publish([changeOf(4)]);
    await restarted.retryDue();
    later(30);
    await restarted.retryDue();
    await restarted.publish([changeOf(5)]);

    const delivered = receiver.received.slice(triedBeforeRestart).map((r) => sequenceOf(r.body));
    expect(delivered).toEqual([1, 2, 3, 4, 5].map((sequence) => changeOf(sequence).sequence));
    expect(restarted.status()[0]?.queued).toBe(0);
  });

  it('gives an event up, with a notice, once the retry schedule of about a day has run out', async () => {
    receiver.fallback.set('/down', { status: 500 });
    const publisher = publisherFor(['/down']);

    await publisher.publish([event('prj-1')]);
    for (const seconds of WEBHOOK_RETRY_DELAYS_SECONDS) {
      later(seconds);
      await publisher.retryDue();
    }

    expect(receiver.received).toHaveLength(WEBHOOK_RETRY_DELAYS_SECONDS.length + 1);
    expect(notices.at(-1)).toMatchObject({
      kind: 'gave-up',
      message: expect.stringMatching(
        /gave up on event [0-9a-f]{32} after 11 attempts over 24 h \(last: HTTP 500\)/,
      ),
    });
    expect(publisher.status()[0]?.queued).toBe(0);
  });

  it('accepts plain http only for loopback receivers and never names a URL path', () => {
    const make = (urls: string[]) =>
      createWebhookEventPublisher({ urls, secret: SECRET, queue: openQueue() });
    expect(() => make(['http://hooks.example.com/x'])).toThrow(WebhookConfigError);
    expect(() => make(['ftp://localhost/x'])).toThrow(/https:\/\//);
    expect(() => make(['https://user:pw@hooks.example.com/x'])).toThrow(WebhookConfigError);
    expect(() => make(['https://hooks.example.com/x', 'http://localhost:8089/x'])).not.toThrow();
    // Port 9 (discard) is one fetch never connects to: every delivery there would fail.
    expect(() => make(['http://localhost:9/x'])).toThrow(/port 9 is one fetch never connects to/);
  });

  it('refuses a malformed signing secret without repeating it', () => {
    const attempt = () => createWebhookSigner('whsec_tooShort');

    expect(attempt).toThrow(WebhookConfigError);
    expect(attempt).toThrow(/base64 of 24 to 64 random bytes, with or without the "whsec_" prefix/);
    expect(attempt).not.toThrow(/tooShort/);
  });
});

describe('Standard Webhooks signature', () => {
  it('matches the reference signature of the Standard Webhooks libraries', () => {
    const signer = createWebhookSigner('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');

    const signature = signer.sign(
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );

    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

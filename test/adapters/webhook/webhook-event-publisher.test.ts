import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  signWebhook,
  webhookSigningKey,
} from '../../../shared/adapters/webhook/standard-webhooks-signature.js';
import { WebhookConfigError, WebhookDeliveryError } from '../../../shared/adapters/webhook/webhook-errors.js';
import { createWebhookEventPublisher } from '../../../shared/adapters/webhook/webhook-event-publisher.js';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';
import type { ChangeEvent } from '../../../shared/core/change-event.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const NOW = new Date('2025-06-01T12:00:00.000Z');
const NO_WAIT = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 };

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
    detectedAt: NOW,
  });
}

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly signatureValid: boolean;
}

type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'reset';

/** A receiver that verifies Standard Webhooks signatures the way the spec tells receivers to, independently of our code. */
class Receiver {
  readonly received: Received[] = [];
  readonly replies: Reply[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id']);
      const timestamp = String(req.headers['webhook-timestamp']);
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
      const signatureValid = String(req.headers['webhook-signature'])
        .split(' ')
        .some((candidate) => {
          const [version, mac] = candidate.split(',');
          const given = Buffer.from(mac ?? '', 'base64');
          return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
        });
      this.received.push({ path: req.url ?? '', headers: req.headers, body, signatureValid });
      const reply = this.replies.shift() ?? { status: 204 };
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

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    this.server?.close();
    if (this.server) await once(this.server, 'close');
  }
}

describe('webhook publisher', () => {
  let receiver: Receiver;
  let sleeps: number[];
  const publisherFor = (
    urls: string[],
    extra: Partial<Parameters<typeof createWebhookEventPublisher>[0]> = {},
  ) =>
    createWebhookEventPublisher({
      urls,
      secret: SECRET,
      now: () => NOW,
      backoff: NO_WAIT,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...extra,
    });

  beforeEach(async () => {
    sleeps = [];
    receiver = new Receiver();
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
  });

  it('POSTs every event to every webhook as a CloudEvents document with a signature the receiver verifies', async () => {
    const events = [event('prj-1'), event('prj-2')];

    await publisherFor([`${receiver.url}/a`, `${receiver.url}/b?token=t`]).publish(events);

    expect(receiver.received).toHaveLength(4);
    expect(receiver.received.every((request) => request.signatureValid)).toBe(true);
    expect(receiver.received.map((request) => request.path).sort()).toEqual([
      '/a',
      '/a',
      '/b?token=t',
      '/b?token=t',
    ]);
    const first = receiver.received.find((request) => request.headers['webhook-id'] === events[0]?.id);
    expect(first?.headers['webhook-timestamp']).toBe(String(NOW.getTime() / 1000));
    expect(first?.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(JSON.parse(first?.body ?? '')).toEqual(events[0]);
  });

  it('retries a 5xx and a reset connection, then succeeds, each attempt freshly signed', async () => {
    receiver.replies.push({ status: 503 }, 'reset');
    let clock = NOW.getTime();
    const tick = () => {
      clock += 7_000;
      return new Date(clock);
    };
    const publisher = publisherFor([receiver.url], { now: tick });

    await publisher.publish([event('prj-1')]);

    expect(receiver.received.length).toBeGreaterThanOrEqual(2);
    expect(receiver.received.every((request) => request.signatureValid)).toBe(true);
    const timestamps = new Set(receiver.received.map((request) => request.headers['webhook-timestamp']));
    expect(timestamps.size).toBe(receiver.received.length);
    expect(sleeps).toHaveLength(2);
  });

  it('waits as long as a 429 Retry-After asks before retrying', async () => {
    receiver.replies.push({ status: 429, headers: { 'retry-after': '2' } });

    await publisherFor([receiver.url]).publish([event('prj-1')]);

    expect(sleeps).toEqual([2000]);
    expect(receiver.received).toHaveLength(2);
  });

  it('throws naming the webhook by origin only once the retries are used up', async () => {
    receiver.replies.push({ status: 500 }, { status: 502 }, { status: 500, body: 'still down' });
    const publisher = publisherFor([`${receiver.url}/hooks/secret-token-in-path`]);

    const failure = await publisher.publish([event('prj-1')]).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(WebhookDeliveryError);
    const message = (failure as Error).message;
    expect(message).toContain(`webhook 1 (${receiver.url})`);
    expect(message).toContain('HTTP 500: still down after 3 attempts');
    expect(message).not.toContain('secret-token-in-path');
    expect(receiver.received).toHaveLength(3);
  });

  it('does not retry an answer that will not change, such as 400 or a redirect', async () => {
    receiver.replies.push({ status: 400, body: 'bad signature' });
    await expect(publisherFor([receiver.url]).publish([event('prj-1')])).rejects.toThrow(
      /HTTP 400: bad signature/,
    );

    receiver.replies.push({ status: 301, headers: { location: 'https://elsewhere.example' } });
    await expect(publisherFor([receiver.url]).publish([event('prj-2')])).rejects.toThrow(
      /redirects are not followed/,
    );

    expect(receiver.received).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('quotes a hostile answer short, without escape sequences or the signing secret', async () => {
    const key = SECRET.slice('whsec_'.length);
    const body = `\u001b[2J\u001b]0;owned\u0007Bad secret ${SECRET} (${Buffer.from(key).toString('hex')})\n${'z'.repeat(1_000_000)}`;
    receiver.replies.push({ status: 400, body });

    const failure = await publisherFor([receiver.url])
      .publish([event('prj-1')])
      .catch((e: unknown) => e);

    const message = (failure as Error).message;
    expect(message).toMatch(/HTTP 400: Bad secret \[redacted\] \(\[redacted\]\) z+…$/);
    expect(message.length).toBeLessThan(400);
    expect(message).not.toContain(key.slice(0, 12));
  });

  it('retries a webhook that cannot be reached, then fails', async () => {
    const closedUrl = receiver.url;
    await receiver.stop();

    await expect(publisherFor([closedUrl]).publish([event('prj-1')])).rejects.toThrow(
      /connection failed.*after 3 attempts/,
    );
    expect(sleeps).toHaveLength(2);
    receiver = new Receiver();
    await receiver.start();
  });

  it('accepts plain http only for loopback receivers', () => {
    expect(() => publisherFor(['http://hooks.example.com/x'])).toThrow(WebhookConfigError);
    expect(() => publisherFor(['ftp://localhost/x'])).toThrow(/https:\/\//);
    expect(() => publisherFor(['https://user:pw@hooks.example.com/x'])).toThrow(WebhookConfigError);
    expect(() => publisherFor(['https://:pw@hooks.example.com/x'])).toThrow(/without user:password@/);
    expect(() => publisherFor(['https://hooks.example.com/x', 'http://localhost:9/x'])).not.toThrow();
  });

  it('refuses a malformed signing secret without repeating it', () => {
    const bad = 'whsec_tooShort';
    const attempt = () => createWebhookEventPublisher({ urls: [receiver.url], secret: bad });

    expect(attempt).toThrow(WebhookConfigError);
    expect(attempt).toThrow(/whsec_" followed by base64/);
    expect(attempt).not.toThrow(/tooShort/);
  });
});

describe('Standard Webhooks signature', () => {
  it('matches the reference signature of the Standard Webhooks libraries', () => {
    const key = webhookSigningKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');

    const signature = signWebhook(key, {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
    });

    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

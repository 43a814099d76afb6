/**
 * A Midaxo or token response is never read past RESPONSE_BYTE_CAP: a reply of hundreds of megabytes fails
 * its request as an oversized page (the page size halves for the next attempt) instead of running the
 * poller out of memory, and an error body is quoted short, clean and without the token.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { RESPONSE_BYTE_CAP } from '../../../shared/adapters/midaxo/http-exchange.js';
import { createMidaxoProjectSource } from '../../../shared/adapters/midaxo/midaxo-project-source.js';
import { LAMBDA_HEAP_FLAGS } from '../../../shared/config/lambda-runtime.js';
import type { ProjectSource } from '../../../shared/core/ports.js';
import { HOSTILE_DEPTH, nestedObjectText } from '../../unit/core/deep-json.js';
import { type StubReply, type StubServer, startStubServer } from './stub-server.js';

const MiB = 2 ** 20;
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzYW5kYm94LWNsaWVudCJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function stub(replies: StubReply[]): Promise<StubServer> {
  const server = await startStubServer(replies);
  closers.push(() => server.close());
  return server;
}

function sourceFor(server: StubServer, pageSize = 100): ProjectSource {
  return createMidaxoProjectSource({
    apiUrl: server.url,
    tokens: { getToken: async () => TOKEN, invalidate: () => {} },
    pageSize,
    timeoutMs: 5_000,
    backoff: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: async () => {},
  });
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('bounded Midaxo responses', () => {
  it('survives 300 MB streamed replies within the deployed heap cap, failing them as oversized pages', async () => {
    const server = await stub([{ streamBytes: 300 * MiB }]);
    const client = fileURLToPath(new URL('./huge-reply-client.ts', import.meta.url));

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...LAMBDA_HEAP_FLAGS, '--import', 'tsx', client, server.url],
      { timeout: 60_000 },
    );
    const outcome = JSON.parse(stdout) as {
      tokenFailure: string;
      listingFailure: string;
      heapUsedMiB: number;
    };

    const tooLarge = `response too large (HTTP 200 body over the cap; at most ${RESPONSE_BYTE_CAP} bytes are read)`;
    expect(outcome.tokenFailure).toContain(tooLarge);
    expect(outcome.listingFailure).toContain(tooLarge);
    expect(outcome.listingFailure).toContain('gave up after 5 attempts');
    const listingRequests = server.received.filter((path) => path.startsWith('/processes/'));
    expect(listingRequests.map((path) => new URL(path, server.url).searchParams.get('first'))).toEqual([
      '100',
      '50',
      '25',
      '12',
      '6',
    ]);
    for (const bytes of server.streamed) expect(bytes).toBeLessThan(RESPONSE_BYTE_CAP + 32 * MiB);
  });

  it('refuses a body announced over the cap without waiting for it', async () => {
    const server = await stub([{ announceOnly: 400 * MiB }]);

    const error = await failureOf(sourceFor(server).fetchPage({ processId: 'p1' }));

    expect(error?.message).toContain(`response too large (HTTP 200 announcing ${400 * MiB} bytes`);
    expect(error?.message).not.toContain('no complete response');
  });

  it('reads a page up to the cap, and halves the page size for a page just over it', async () => {
    const page = (bytes: number) => {
      const head = '{"paging":{},"data":[{"id":"p1","pad":"';
      return `${head}${'x'.repeat(bytes - head.length - 4)}"}]}`;
    };
    const server = await stub([{ body: page(RESPONSE_BYTE_CAP + 1) }, { body: page(RESPONSE_BYTE_CAP) }]);

    const fetched = await sourceFor(server, 8).fetchPage({ processId: 'p1' });

    expect(fetched.projects.map((project) => project.id)).toEqual(['p1']);
    expect(server.received.map((path) => new URL(path, server.url).searchParams.get('first'))).toEqual([
      '8',
      '4',
    ]);
  });

  it('quotes a 1 MB error body short, without escape sequences or the token in any form', async () => {
    const echo = `\u001b[2J\u001b]0;owned\u0007Bad token ${TOKEN} (${Buffer.from(TOKEN).toString('hex')})\r\n`;
    const server = await stub([{ status: 400, body: `${echo}${'y'.repeat(MiB)}` }]);

    const error = await failureOf(sourceFor(server).fetchPage({ processId: 'p1' }));

    expect(error?.message).toMatch(
      /request refused \(HTTP 400: Bad token \[redacted\] \(\[redacted\]\) y+…\)/,
    );
    expect(error?.message.length).toBeLessThan(500);
    expect(error?.message).not.toContain(TOKEN.slice(-20));
  });

  it('hands on a project nested 10,000 levels deep as data instead of failing the page', async () => {
    const deep = `{"id":"deep","x":${nestedObjectText(HOSTILE_DEPTH, '1')}}`;
    const server = await stub([{ body: `{"data":[${deep},{"id":"flat"}],"paging":{}}` }]);

    const fetched = await sourceFor(server).fetchPage({ processId: 'p1' });

    expect(fetched.projects.map((project) => project.id)).toEqual(['deep', 'flat']);
  });
});

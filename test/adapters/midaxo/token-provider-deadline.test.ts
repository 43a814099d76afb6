import { afterEach, describe, expect, it } from 'vitest';
import { MidaxoApiError } from '../../../shared/adapters/midaxo/midaxo-errors.js';
import { createTokenProvider, type TokenProvider } from '../../../shared/adapters/midaxo/token-provider.js';
import { RunOutOfTimeError } from '../../../shared/core/run-out-of-time-error.js';
import type { Sleep } from '../../../shared/support/backoff.js';
import type { Deadline } from '../../../shared/support/deadline.js';
import { type StubReply, type StubServer, startStubServer } from './stub-server.js';

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The token endpoint of one test: each request gets the next reply, the last one repeats. */
async function stub(replies: StubReply[]): Promise<StubServer> {
  server = await startStubServer(replies);
  return server;
}

function tokensOf(server: StubServer, sleep: Sleep): TokenProvider {
  return createTokenProvider({
    authUrl: `${server.url}/oauth/token`,
    audience: 'kappa-appsync-app-api',
    credentials: { clientId: 'client-1', clientSecret: 'top-secret-value' },
    sleep,
    random: () => 0.5,
  });
}

/** A deadline with `remainingMs` left until its owner aborts it. */
function deadlineOf(remainingMs: number): Deadline & { readonly stop: AbortController } {
  const stop = new AbortController();
  return { remainingMs: () => remainingMs, signal: stop.signal, stop };
}

const TOKEN = { status: 200, body: { access_token: 'fresh-token', expires_in: 3600 } };
const RATE_LIMITED = { status: 429, headers: { 'retry-after': '1000000000' }, body: {} };

describe('token provider under a deadline', () => {
  it('does not wait out a Retry-After of 1000000000 s the deadline cannot hold, and sends nothing more', async () => {
    const server = await stub([RATE_LIMITED, TOKEN]);
    const sleeps: number[] = [];

    const error = await tokensOf(server, async (ms) => {
      sleeps.push(ms);
    })
      .getToken(deadlineOf(20_000))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RunOutOfTimeError);
    expect(String(error)).toContain('rate limited (HTTP 429)');
    expect(String(error)).toContain('not retried: too little time left');
    expect(sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it('ends a wait in progress when the deadline aborts, and sends no request after it', async () => {
    const server = await stub([RATE_LIMITED, TOKEN]);
    const deadline = deadlineOf(3_600_000);
    let waiting: (() => void) | undefined;
    const waitStarted = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    // A wait that only the deadline ends.
    const sleep: Sleep = () => {
      waiting?.();
      return new Promise(() => {});
    };

    const result = tokensOf(server, sleep)
      .getToken(deadline)
      .catch((e: unknown) => e);
    await waitStarted;
    deadline.stop.abort(new DOMException('The invocation has ended', 'AbortError'));

    expect(await result).toBeInstanceOf(RunOutOfTimeError);
    expect(server.received).toHaveLength(1);
  });

  it('aborts a token request in flight when the deadline aborts', async () => {
    const server = await stub([{ hang: true }]);
    const deadline = deadlineOf(3_600_000);
    const tokens = tokensOf(server, async () => {});

    const result = tokens.getToken(deadline).catch((e: unknown) => e);
    while (server.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    deadline.stop.abort(new DOMException('The invocation has ended', 'AbortError'));

    const error = await result;
    expect(error).toBeInstanceOf(RunOutOfTimeError);
    expect(String(error)).toContain("stopped before an answer came: the run's work ended");
    expect(server.received).toHaveLength(1);
  });

  it("lets a caller whose deadline has not passed ask again when another caller's deadline stopped the shared request", async () => {
    const server = await stub([{ hang: true }, TOKEN]);
    const first = deadlineOf(3_600_000);
    const second = deadlineOf(3_600_000);
    const tokens = tokensOf(server, async () => {});

    const stopped = tokens.getToken(first).catch((e: unknown) => e);
    const going = tokens.getToken(second);
    while (server.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    first.stop.abort(new DOMException('The invocation has ended', 'AbortError'));

    expect(await stopped).toBeInstanceOf(RunOutOfTimeError);
    expect(await going).toBe('fresh-token');
    expect(server.received).toHaveLength(2);
  });

  it('fails at once on a token with CR/LF in it, as an unusable token rather than a connection failure', async () => {
    const server = await stub([
      { status: 200, body: { access_token: 'abc\r\nX-Injected: 1', expires_in: 3600 } },
      TOKEN,
    ]);
    const sleeps: number[] = [];

    const error = await tokensOf(server, async (ms) => {
      sleeps.push(ms);
    })
      .getToken()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoApiError);
    expect(error).toMatchObject({ retryable: false });
    expect(String(error)).toContain('access_token must be printable ASCII');
    expect(String(error)).not.toContain('X-Injected');
    expect(sleeps).toEqual([]);
    expect(server.received).toHaveLength(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CLIENT } from '../../../sandbox/midaxo-sandbox.js';
import { MidaxoApiError, MidaxoAuthError } from '../../../shared/adapters/midaxo/midaxo-errors.js';
import { createTokenProvider, type TokenProvider } from '../../../shared/adapters/midaxo/token-provider.js';
import { HALF_JITTER, type HarnessOptions, type MidaxoHarness, startHarness } from './midaxo-harness.js';
import { type StubReply, type StubServer, startStubServer } from './stub-server.js';

const closers: (() => Promise<void>)[] = [];

async function harness(options: HarnessOptions = {}): Promise<MidaxoHarness> {
  const started = await startHarness(options);
  closers.push(() => started.sandbox.close());
  return started;
}

async function stub(replies: StubReply[]): Promise<StubServer> {
  const server = await startStubServer(replies);
  closers.push(() => server.close());
  return server;
}

function stubTokens(server: StubServer, sleeps: number[], maxAttempts = 5): TokenProvider {
  return createTokenProvider({
    authUrl: `${server.url}/oauth/token`,
    audience: 'kappa-appsync-app-api',
    credentials: { clientId: 'client-1', clientSecret: 'top-secret-value' },
    backoff: { maxAttempts, baseDelayMs: 100, maxDelayMs: 1_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: HALF_JITTER,
    now: () => new Date('2025-01-01T00:00:00Z'),
  });
}

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('token provider', () => {
  it('posts the client_credentials form exactly as the API overview shows', async () => {
    const { tokens, sent, sandbox } = await harness();

    await tokens.getToken();

    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(sandbox.authUrl);
    expect(sent[0]?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(sent[0]?.body).toBe(
      'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret&audience=kappa-appsync-app-api',
    );
  });

  it('reuses one token across calls, and concurrent callers share one request', async () => {
    const { tokens, sandbox } = await harness();

    const concurrent = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    const later = await tokens.getToken();

    expect(new Set([...concurrent, later]).size).toBe(1);
    expect(sandbox.counters.tokenRequests).toBe(1);
  });

  it('gets a new token 60 s before a one-hour token expires', async () => {
    let clock = new Date('2025-01-01T00:00:00Z');
    const now = () => clock;
    const { tokens, sandbox } = await harness({ sandbox: { now, tokenTtlSeconds: 3600 }, tokens: { now } });
    const first = await tokens.getToken();

    clock = new Date('2025-01-01T00:58:59Z');
    const stillCached = await tokens.getToken();
    clock = new Date('2025-01-01T00:59:01Z');
    const refreshed = await tokens.getToken();

    expect(stillCached).toBe(first);
    expect(refreshed).not.toBe(first);
    expect(sandbox.counters.tokensIssued).toBe(2);
  });

  it('refreshes a short-lived token a tenth of its lifetime before it expires', async () => {
    let clock = new Date('2025-01-01T00:00:00Z');
    const now = () => clock;
    const { tokens, sandbox } = await harness({ sandbox: { now, tokenTtlSeconds: 100 }, tokens: { now } });
    const first = await tokens.getToken();

    clock = new Date('2025-01-01T00:01:29Z');
    expect(await tokens.getToken()).toBe(first);
    clock = new Date('2025-01-01T00:01:31Z');
    expect(await tokens.getToken()).not.toBe(first);
    expect(sandbox.counters.tokensIssued).toBe(2);
  });

  it('asks for a new token after invalidate, but keeps a newer one when told which token was rejected', async () => {
    const { tokens, sandbox } = await harness();
    const first = await tokens.getToken();

    tokens.invalidate();
    const second = await tokens.getToken();
    tokens.invalidate(first);

    expect(second).not.toBe(first);
    expect(await tokens.getToken()).toBe(second);
    expect(sandbox.counters.tokensIssued).toBe(2);
  });

  it('fails with MidaxoAuthError naming the client, not the secret, when the credentials are rejected', async () => {
    const secret = 'a-wrong-secret-1234';
    const { tokens, sandbox } = await harness({
      tokens: { credentials: { clientId: DEFAULT_SANDBOX_CLIENT.clientId, clientSecret: secret } },
    });

    const error = await tokens.getToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoAuthError);
    expect(error).toMatchObject({ name: 'MidaxoAuthError', status: 401, retryable: false });
    expect(String(error)).toContain('client credentials were rejected');
    expect(String(error)).toContain('sandbox-client');
    expect(String(error)).not.toContain(secret);
    expect(sandbox.counters.tokenRequests).toBe(1);
  });

  it('says the audience may be wrong when the token endpoint answers 403', async () => {
    const { tokens } = await harness({ tokens: { audience: 'wrong-audience' } });

    const error = await tokens.getToken().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoAuthError);
    expect(error).toMatchObject({ status: 403 });
    expect(String(error)).toContain("audience 'wrong-audience'");
  });

  it('retries 5xx and 429 (honouring Retry-After), then succeeds', async () => {
    const server = await stub([
      { status: 503, body: { message: 'unavailable' } },
      { status: 429, headers: { 'retry-after': '2' }, body: {} },
      { status: 200, body: { access_token: 'fresh-token', token_type: 'Bearer', expires_in: 3600 } },
    ]);
    const sleeps: number[] = [];

    const token = await stubTokens(server, sleeps).getToken();

    expect(token).toBe('fresh-token');
    expect(sleeps).toEqual([50, 2_000]);
  });

  it('gives up after the policy attempts with a retryable MidaxoApiError', async () => {
    const server = await stub([{ status: 502, body: 'Bad Gateway' }]);
    const sleeps: number[] = [];

    const error = await stubTokens(server, sleeps, 3)
      .getToken()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoApiError);
    expect(error).toMatchObject({ status: 502, retryable: true });
    expect(String(error)).toContain('gave up after 3 attempts');
    expect(server.received).toHaveLength(3);
  });

  it('rejects a token response without a usable token or lifetime, without echoing it', async () => {
    const server = await stub([
      { status: 200, body: { access_token: 'leaky-token-value', expires_in: 'soon' } },
    ]);

    const error = await stubTokens(server, [])
      .getToken()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoApiError);
    expect(String(error)).toContain('expires_in must be a number of seconds');
    expect(String(error)).not.toContain('leaky-token-value');
    expect(server.received).toHaveLength(1);
  });

  it.each([
    ['as Basic credentials', () => Buffer.from('client-1:top-secret-value').toString('base64')],
    ['in lowercase hex', () => Buffer.from('top-secret-value').toString('hex')],
    ['in uppercase hex', () => Buffer.from('top-secret-value').toString('hex').toUpperCase()],
    ['URL-encoded in the form', () => 'client_secret=top-secret-value&audience=x'],
    ['cut short', () => 'top-secre…'],
  ])('keeps the secret out of a rejection that echoes it %s', async (_, echo) => {
    const server = await stub([
      { status: 401, body: { error: 'invalid_client', error_description: `Rejected: ${echo()}` } },
    ]);

    const error = await stubTokens(server, [])
      .getToken()
      .catch((e: unknown) => e);

    expect(String(error)).toContain('(HTTP 401 invalid_client: Rejected: ');
    expect(String(error)).toContain('[redacted]');
    expect(String(error)).not.toMatch(/top-secr|746f702d736563726574|dG9wLXNlY3JldC/i);
  });

  it('quotes no error code that is not a plain code, and a description short and without escapes', async () => {
    const server = await stub([
      {
        status: 400,
        body: {
          error: '\u001b[31mhttps://attacker.example/',
          error_description: `\u001b]0;title\u0007Bad\r\nrequest ${'z'.repeat(10_000)}`,
        },
      },
    ]);

    const error = await stubTokens(server, [])
      .getToken()
      .catch((e: unknown) => e);

    expect(String(error)).toMatch(/unexpected HTTP 400: Bad request z+… \(POST /);
    expect(String(error)).not.toContain('attacker');
    expect(String(error).length).toBeLessThan(500);
  });
});

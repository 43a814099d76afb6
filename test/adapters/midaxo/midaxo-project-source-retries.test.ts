import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CLIENT, type FaultKind } from '../../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { MidaxoApiError } from '../../../shared/adapters/midaxo/midaxo-errors.js';
import { createMidaxoProjectSource } from '../../../shared/adapters/midaxo/midaxo-project-source.js';
import type { ProjectPage, ProjectSource } from '../../../shared/core/ports.js';
import { harnessPerTest } from './midaxo-harness.js';
import { startStubServer } from './stub-server.js';

const PROCESS = 'proc-7';
const { harness, closeAfterEach } = harnessPerTest(PROCESS);

async function listAll(source: ProjectSource): Promise<string[]> {
  const ids: string[] = [];
  let page: ProjectPage = await source.fetchPage({ processId: PROCESS });
  while (page.projects.length > 0) {
    ids.push(...page.projects.map((project) => project.id));
    if (page.endCursor === null) break;
    page = await source.fetchPage({ processId: PROCESS, after: page.endCursor });
  }
  return ids;
}

/** Everything an error would show in a log: names, messages and requests down its cause chain. */
function loggedText(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    parts.push(current.name, current.message, String((current as { request?: unknown }).request));
  }
  return parts.join('\n');
}

describe('Midaxo project source: Retry-After', () => {
  it('waits the seconds a 429 asks for, then gets the page', async () => {
    const h = await harness();
    h.sandbox.failNext({ kind: 'rate-limit', retryAfter: 7 });

    const page = await h.source.fetchPage({ processId: PROCESS });

    expect(page.projects).toHaveLength(2);
    expect(h.sleeps).toEqual([7_000]);
  });

  it('reads an HTTP-date Retry-After against the clock', async () => {
    const h = await harness({ source: { now: () => new Date('2030-01-01T00:00:00Z') } });
    h.sandbox.failNext({ kind: 'rate-limit', retryAfter: new Date('2030-01-01T00:00:12Z') });

    await h.source.fetchPage({ processId: PROCESS });

    expect(h.sleeps).toEqual([12_000]);
  });

  it('caps a long Retry-After', async () => {
    const h = await harness({ source: { maxRetryAfterMs: 5_000 } });
    h.sandbox.failNext({ kind: 'rate-limit', retryAfter: 3_600 });

    await h.source.fetchPage({ processId: PROCESS });

    expect(h.sleeps).toEqual([5_000]);
  });
});

describe('Midaxo project source: transient failures', () => {
  it.each<FaultKind>(['server-error', 'reset', 'truncated'])(
    'retries after a %s with backoff',
    async (kind) => {
      const h = await harness();
      h.sandbox.failNext({ kind });

      const page = await h.source.fetchPage({ processId: PROCESS });

      expect(page.projects[0]?.id).toBe('prj-000001');
      expect(h.sleeps).toEqual([50]);
      expect(h.sandbox.counters.faultsInjected[kind]).toBe(1);
    },
  );

  it('halves the page size after a server error, since an oversized page fails that way', async () => {
    const h = await harness();
    h.sandbox.failNext({ kind: 'server-error' });

    await h.source.fetchPage({ processId: PROCESS });

    const listings = h.sandbox.requests.filter((request) => request.path.endsWith('/projects'));
    expect(listings.map((request) => request.query.first)).toEqual(['2', '1']);
  });

  it('backs off exponentially across consecutive failures', async () => {
    const h = await harness();
    for (const kind of ['server-error', 'reset', 'truncated'] as const) h.sandbox.failNext({ kind });

    await h.source.fetchPage({ processId: PROCESS });

    expect(h.sleeps).toEqual([50, 100, 200]);
    expect(h.requestInfos.map((info) => info.retried)).toEqual([false, true, true, true]);
  });

  it('lists every project of a process despite seeded random faults', async () => {
    const h = await harness({
      sandbox: {
        seed: 7,
        faults: { rateLimitRate: 0.15, serverErrorRate: 0.15, resetRate: 0.1, truncatedRate: 0.1 },
        processes: { [PROCESS]: sampleProjects(20) },
      },
      source: { backoff: { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 } },
    });

    const ids = await listAll(h.source);

    expect(ids).toEqual(sampleProjects(20).map((project) => project.id));
    const injected = Object.values(h.sandbox.counters.faultsInjected).reduce((sum, count) => sum + count, 0);
    expect(injected).toBeGreaterThan(0);
    expect(h.requestInfos.filter((info) => info.retried)).toHaveLength(injected);
  });

  it('gives up after the policy attempts with an error naming the process and the request', async () => {
    const h = await harness({ source: { backoff: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 } } });
    h.sandbox.failNext({ kind: 'server-error', count: 10 });

    const error = await h.source.fetchPage({ processId: PROCESS, after: 'abc' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoApiError);
    expect(error).toMatchObject({
      name: 'MidaxoApiError',
      status: 500,
      retryable: true,
      processId: PROCESS,
      request: `GET /processes/${PROCESS}/projects?first=1&after=abc`,
    });
    expect(String(error)).toContain(`Midaxo process ${PROCESS}: server error (HTTP 500)`);
    expect(String(error)).toContain('gave up after 3 attempts');
    expect(h.sandbox.counters.listingRequests).toBe(3);
  });

  it('starts no retry that could not finish in the time the run has left', async () => {
    let remaining = 120_000;
    const deadline = { remainingMs: () => remaining, signal: new AbortController().signal };
    const h = await harness({ source: { timeoutMs: 30_000, deadline } });
    h.sandbox.failNext({ kind: 'server-error', count: 10 });
    remaining = 30_010;

    const error = await h.source.fetchPage({ processId: PROCESS }).catch((e: unknown) => e);

    expect(String(error)).toContain('too little time left in this run for another attempt');
    expect(h.sandbox.counters.listingRequests).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('times out a request that gets no answer, and retries it', async () => {
    const server = await startStubServer([{ hang: true }]);
    closeAfterEach(() => server.close());
    const statuses: (number | null)[] = [];
    const source = createMidaxoProjectSource({
      apiUrl: server.url,
      tokens: { getToken: async () => 'stub-token', invalidate: () => undefined },
      pageSize: 10,
      timeoutMs: 100,
      backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: async () => undefined,
      onRequest: (info) => statuses.push(info.status),
    });

    const error = await source.fetchPage({ processId: PROCESS }).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'MidaxoApiError',
      retryable: true,
      processId: PROCESS,
      status: undefined,
    });
    expect(String(error)).toContain('no complete response within 100 ms');
    expect(statuses).toEqual([null, null]);
  });
});

describe('Midaxo adapter errors', () => {
  it('never contain the token or the client secret', async () => {
    const secret = 'very-secret-client-secret';
    const h = await harness({
      sandbox: {
        clients: [{ clientId: 'c-1', clientSecret: secret }],
        processes: { [PROCESS]: sampleProjects(3) },
      },
      tokens: { credentials: { clientId: 'c-1', clientSecret: secret } },
      source: { backoff: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
    });
    const failures: unknown[] = [];
    const attempt = async (processId = PROCESS) => {
      failures.push(await h.source.fetchPage({ processId }).catch((e: unknown) => e));
    };

    for (const kind of ['unauthorized', 'server-error', 'reset', 'truncated'] as const) {
      h.sandbox.failNext({ kind, count: 2 });
      await attempt();
    }
    await attempt('unknown-process');
    const wrongSecret = await harness({
      tokens: { credentials: { ...DEFAULT_SANDBOX_CLIENT, clientSecret: secret } },
    });
    failures.push(await wrongSecret.source.fetchPage({ processId: PROCESS }).catch((e: unknown) => e));

    const tokensSent = h.sent.flatMap((request) => request.headers.get('authorization') ?? []);
    expect(new Set(tokensSent).size).toBeGreaterThan(1);
    expect(failures).toHaveLength(6);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(Error);
      const text = loggedText(failure);
      expect(text).toContain('Midaxo');
      for (const token of tokensSent) expect(text).not.toContain(token);
      expect(text).not.toContain(secret);
    }
  });
});

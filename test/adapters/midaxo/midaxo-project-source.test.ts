import { describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CLIENT, startMidaxoSandbox } from '../../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { MidaxoApiError, MidaxoAuthError } from '../../../shared/adapters/midaxo/midaxo-errors.js';
import { createMidaxoProjectSource } from '../../../shared/adapters/midaxo/midaxo-project-source.js';
import { MAX_CURSOR_LENGTH } from '../../../shared/adapters/midaxo/project-page-schema.js';
import { createTokenProvider, type TokenProvider } from '../../../shared/adapters/midaxo/token-provider.js';
import { ListingTooLongError } from '../../../shared/core/listing-too-long-error.js';
import { streamPages } from '../../../shared/core/page-stream.js';
import { harnessPerTest, type MidaxoHarness } from './midaxo-harness.js';
import { type StubReply, startStubServer } from './stub-server.js';

const PROCESS = 'proc-42';
const { harness, closeAfterEach } = harnessPerTest(PROCESS);

function listingQueries(h: MidaxoHarness) {
  return h.sandbox.requests.filter((request) => request.method === 'GET').map((request) => request.query);
}

describe('Midaxo project source: listing', () => {
  it('pages through a process with first and after, reusing one token', async () => {
    const h = await harness();

    const first = await h.source.fetchPage({ processId: PROCESS });
    const second = await h.source.fetchPage({ processId: PROCESS, after: first.endCursor ?? '' });
    const third = await h.source.fetchPage({ processId: PROCESS, after: second.endCursor ?? '' });

    expect([first, second, third].flatMap((page) => page.projects.map((project) => project.id))).toEqual(
      sampleProjects(5).map((project) => project.id),
    );
    expect(first.projects[0]?.body).toEqual(sampleProjects(1)[0]);
    expect(listingQueries(h)).toEqual([
      { first: '2' },
      { first: '2', after: first.endCursor },
      { first: '2', after: second.endCursor },
    ]);
    expect(h.sandbox.counters.tokenRequests).toBe(1);
  });

  it('sends the update window as updatedAfter and updatedBefore', async () => {
    const h = await harness();
    const window = { updatedAfter: '2024-01-01T00:00:00.000Z', updatedBefore: '2024-01-01T03:00:00.000Z' };

    await h.source.fetchPage({ processId: PROCESS, window });
    await h.source.fetchPage({ processId: PROCESS, window: { updatedBefore: window.updatedBefore } });
    await h.source.fetchPage({ processId: PROCESS, window: { updatedAfter: window.updatedAfter } });

    expect(listingQueries(h)).toEqual([
      { first: '2', ...window },
      { first: '2', updatedBefore: window.updatedBefore },
      { first: '2', updatedAfter: window.updatedAfter },
    ]);
  });

  it('sends the token as the bare Authorization value, never with Bearer', async () => {
    const h = await harness();

    await h.source.fetchPage({ processId: PROCESS });

    const listing = h.sent.find((request) => request.url.includes('/processes/'));
    expect(listing?.headers.get('authorization')).toBe(await h.tokens.getToken());
    expect(h.sent.some((request) => /bearer/i.test(request.headers.get('authorization') ?? ''))).toBe(false);
  });

  it('encodes the process id into the path', async () => {
    const h = await harness({ sandbox: { processes: { 'deals/2025 Q1': sampleProjects(1) } } });

    const page = await h.source.fetchPage({ processId: 'deals/2025 Q1' });

    expect(page.projects).toHaveLength(1);
    expect(h.sent.at(-1)?.url).toContain('/processes/deals%2F2025%20Q1/projects');
  });

  it('reports every request to onRequest with its status and whether it was a retry', async () => {
    const h = await harness();
    h.sandbox.failNext({ kind: 'server-error' });

    await h.source.fetchPage({ processId: PROCESS });

    expect(h.requestInfos).toEqual([
      { status: 500, attempt: 1, retried: false },
      { status: 200, attempt: 2, retried: true },
    ]);
  });
});

describe('Midaxo project source: authorization', () => {
  it('gets a new token once on a 401 and retries the page', async () => {
    const h = await harness();
    const staleToken = await h.tokens.getToken();
    h.sandbox.revokeTokens();

    const page = await h.source.fetchPage({ processId: PROCESS });

    expect(page.projects).toHaveLength(2);
    expect(await h.tokens.getToken()).not.toBe(staleToken);
    expect(h.sandbox.counters.tokensIssued).toBe(2);
    expect(h.requestInfos.map((info) => info.status)).toEqual([401, 200]);
    expect(h.sleeps).toEqual([]);
  });

  it('fails with MidaxoAuthError naming the process when the new token is refused too', async () => {
    const h = await harness();
    h.sandbox.failNext({ kind: 'unauthorized', count: 5 });

    const error = await h.source.fetchPage({ processId: PROCESS }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoAuthError);
    expect(error).toMatchObject({ status: 401, retryable: false, processId: PROCESS });
    expect(String(error)).toContain(`credentials rejected or no access to process ${PROCESS}`);
    expect(h.sandbox.counters.listingRequests).toBe(2);
  });

  it('fails at once with MidaxoAuthError when the client has no access to the process', async () => {
    const h = await harness({
      sandbox: {
        clients: [{ clientId: 'sandbox-client', clientSecret: 'sandbox-secret', processIds: ['another'] }],
      },
    });

    const error = await h.source.fetchPage({ processId: PROCESS }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoAuthError);
    expect(error).toMatchObject({ status: 403, processId: PROCESS });
    expect(h.sandbox.counters.listingRequests).toBe(1);
  });

  it('names the process when no token can be had', async () => {
    const h = await harness({
      tokens: { credentials: { clientId: 'sandbox-client', clientSecret: 'nope-123' } },
    });

    const error = await h.source.fetchPage({ processId: PROCESS }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoAuthError);
    expect(error).toMatchObject({ processId: PROCESS, status: 401 });
    expect(String(error)).toContain(`Midaxo process ${PROCESS}: could not get an access token`);
    expect(h.sandbox.counters.listingRequests).toBe(0);
  });
});

describe('Midaxo project source: failures that are not retried', () => {
  it('says the process is unknown on a 404', async () => {
    const h = await harness();

    const error = await h.source.fetchPage({ processId: 'no-such-process' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoApiError);
    expect(error).toMatchObject({ status: 404, retryable: false, processId: 'no-such-process' });
    expect(String(error)).toContain('process no-such-process is unknown to Midaxo');
  });

  it('fails at once on another 4xx, quoting the API and the request', async () => {
    const h = await harness();

    const error = await h.source.fetchPage({ processId: PROCESS, after: 'forged' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'MidaxoApiError', status: 400, retryable: false });
    expect(String(error)).toContain("'after' is not a cursor this API returned");
    expect(String(error)).toContain(`(GET /processes/${PROCESS}/projects?first=2&after=forged)`);
    expect(h.sandbox.counters.listingRequests).toBe(1);
  });

  it('halves the page size when a page is over the size cap, then sizes pages ahead from what it saw', async () => {
    const large = sampleProjects(40, { paddingBytes: 200_000 });
    const sandbox = await startMidaxoSandbox({ processes: { [PROCESS]: large }, maxPageSize: 100 });
    closeAfterEach(() => sandbox.close());
    const tokens = createTokenProvider({
      authUrl: sandbox.authUrl,
      audience: sandbox.audience,
      credentials: {
        clientId: DEFAULT_SANDBOX_CLIENT.clientId,
        clientSecret: DEFAULT_SANDBOX_CLIENT.clientSecret,
      },
    });
    const source = createMidaxoProjectSource({
      apiUrl: sandbox.apiUrl,
      tokens,
      pageSize: 100,
      sleep: async () => {},
    });

    const ids: string[] = [];
    for await (const page of streamPages(source, { processId: PROCESS }))
      ids.push(...page.projects.map((p) => p.id));

    expect(ids).toEqual(large.map((project) => project.id));
    expect(sandbox.counters.oversizeResponses).toBeGreaterThan(0);
    const sizes = sandbox.requests
      .filter((request) => request.path.endsWith('/projects') && request.status === 200)
      .map((request) => Number(request.query.first));
    expect(Math.max(...sizes) * 200_000).toBeLessThanOrEqual(6 * 1024 * 1024);
    const statuses = sandbox.requests.filter((r) => r.path.endsWith('/projects')).map((r) => r.status);
    expect(statuses.lastIndexOf(413)).toBeLessThan(statuses.indexOf(200));
  });

  it.each<[string, unknown, string]>([
    ['without an array', { paging: { endCursor: null } }, 'exactly one top-level array'],
    ['with two arrays', { data: [], errors: [], paging: {} }, 'found data, errors'],
    [
      'with a cursor over the length limit',
      { data: [{ id: 'p1' }], paging: { endCursor: 'c'.repeat(MAX_CURSOR_LENGTH + 1) } },
      `paging.endCursor is longer than ${MAX_CURSOR_LENGTH} characters`,
    ],
    [
      'with more items than first asked for (a page flood)',
      { data: Array.from({ length: 11 }, (_, i) => ({ id: `p${i}` })), paging: { endCursor: 'next' } },
      'the page holds 11 items, more than the 10 asked for (first=10)',
    ],
  ])('fails clearly on a response %s', async (_, body, problem) => {
    const server = await startStubServer([{ body } satisfies StubReply]);
    closeAfterEach(() => server.close());
    const tokens: TokenProvider = { getToken: async () => 'stub-token', invalidate: () => undefined };
    const source = createMidaxoProjectSource({ apiUrl: server.url, tokens, pageSize: 10 });

    const error = await source.fetchPage({ processId: PROCESS }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MidaxoApiError);
    expect(error).toMatchObject({ retryable: false, processId: PROCESS });
    expect(String(error)).toContain(`Midaxo process ${PROCESS}: unexpected listing response`);
    expect(String(error)).toContain(problem);
    expect(server.received).toHaveLength(1);
  });
});

describe('Midaxo project source: listings that would never end', () => {
  it('stops a server that invents cursors forever after the page limit, with a clear error', async () => {
    const h = await harness({ sandbox: { endlessCursors: true } });
    let pages = 0;

    const error = await (async () => {
      for await (const _ of streamPages(h.source, { processId: PROCESS }, { maxPages: 30 })) pages++;
    })().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ListingTooLongError);
    expect(String(error)).toContain(`the listing of process ${PROCESS} went on past 30 pages`);
    expect(pages).toBe(30);
    expect(listingQueries(h)).toHaveLength(30);
  });
});

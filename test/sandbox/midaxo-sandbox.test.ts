import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_CLIENT,
  type MidaxoSandbox,
  type MidaxoSandboxOptions,
  startMidaxoSandbox,
} from '../../sandbox/midaxo-sandbox.js';
import { sampleProject, sampleProjects } from '../../sandbox/sample-projects.js';
import type { JsonObject } from '../../shared/core/json.js';

const PROCESS = 'proc-1';
const sandboxes: MidaxoSandbox[] = [];

async function start(options: MidaxoSandboxOptions = {}): Promise<MidaxoSandbox> {
  const sandbox = await startMidaxoSandbox(options);
  sandboxes.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

function tokenRequest(sandbox: MidaxoSandbox, fields: Record<string, string> = {}, contentType?: string) {
  const form = {
    grant_type: 'client_credentials',
    client_id: DEFAULT_SANDBOX_CLIENT.clientId,
    client_secret: DEFAULT_SANDBOX_CLIENT.clientSecret,
    audience: sandbox.audience,
    ...fields,
  };
  return fetch(sandbox.authUrl, {
    method: 'POST',
    headers: { 'content-type': contentType ?? 'application/x-www-form-urlencoded' },
    body: contentType === 'application/json' ? JSON.stringify(form) : new URLSearchParams(form).toString(),
  });
}

async function tokenFor(sandbox: MidaxoSandbox, fields: Record<string, string> = {}): Promise<string> {
  const response = await tokenRequest(sandbox, fields);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

function list(sandbox: MidaxoSandbox, authorization: string | undefined, query = '', processId = PROCESS) {
  return fetch(`${sandbox.apiUrl}/processes/${encodeURIComponent(processId)}/projects${query}`, {
    headers: authorization === undefined ? {} : { authorization },
  });
}

interface Page {
  data: JsonObject[];
  paging: { startCursor?: string | null; endCursor?: string | null };
}

async function listPage(sandbox: MidaxoSandbox, token: string, query = ''): Promise<Page> {
  const response = await list(sandbox, token, query);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

function ids(page: Page): string[] {
  return page.data.map((project) => String(project.id));
}

describe('token endpoint', () => {
  it('issues an opaque JWT-looking bearer token for a known client sending a form', async () => {
    const sandbox = await start({ tokenTtlSeconds: 900 });

    const response = await tokenRequest(sandbox);

    expect(response.status).toBe(200);
    const body = (await response.json()) as JsonObject;
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 });
    expect(String(body.access_token).split('.')).toHaveLength(3);
  });

  it('answers 401 access_denied, as Auth0 does, for a wrong secret or an unknown client', async () => {
    const sandbox = await start();

    const rejected: Record<string, string>[] = [{ client_secret: 'wrong' }, { client_id: 'nobody' }];
    for (const fields of rejected) {
      const response = await tokenRequest(sandbox, fields);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
    }
  });

  it('answers 403 for an audience other than kappa-appsync-app-api', async () => {
    const sandbox = await start();

    const response = await tokenRequest(sandbox, { audience: 'https://other-api' });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'access_denied' });
  });

  it('answers 400 invalid_request for a JSON body or a missing grant_type', async () => {
    const sandbox = await start();

    const asJson = await tokenRequest(sandbox, {}, 'application/json');
    const noGrant = await tokenRequest(sandbox, { grant_type: '' });

    expect(asJson.status).toBe(400);
    expect(await asJson.json()).toMatchObject({ error: 'invalid_request' });
    expect(noGrant.status).toBe(400);
    expect(await noGrant.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('authorization of listings', () => {
  it('accepts the bare token and rejects a Bearer prefix, a missing header and an unknown token with 401', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(2) } });
    const token = await tokenFor(sandbox);

    expect((await list(sandbox, token)).status).toBe(200);
    expect((await list(sandbox, `Bearer ${token}`)).status).toBe(401);
    expect((await list(sandbox, undefined)).status).toBe(401);
    expect((await list(sandbox, `${token}x`)).status).toBe(401);
  });

  it('rejects a token once it has expired on the sandbox clock', async () => {
    let clock = new Date('2025-03-01T10:00:00Z');
    const sandbox = await start({ now: () => clock, tokenTtlSeconds: 60, processes: { [PROCESS]: [] } });
    const token = await tokenFor(sandbox);

    expect((await list(sandbox, token)).status).toBe(200);
    clock = new Date('2025-03-01T10:01:00Z');
    expect((await list(sandbox, token)).status).toBe(401);
  });

  it('rejects tokens issued before revokeTokens', async () => {
    const sandbox = await start({ processes: { [PROCESS]: [] } });
    const token = await tokenFor(sandbox);

    sandbox.revokeTokens();

    expect((await list(sandbox, token)).status).toBe(401);
    expect((await list(sandbox, await tokenFor(sandbox))).status).toBe(200);
  });

  it('answers 403 for a process the client was not granted and 404 for a process that does not exist', async () => {
    const sandbox = await start({
      clients: [{ clientId: 'c1', clientSecret: 's1', processIds: ['granted'] }],
      processes: { other: sampleProjects(1) },
    });
    const token = await tokenFor(sandbox, { client_id: 'c1', client_secret: 's1' });

    expect((await list(sandbox, token, '', 'granted')).status).toBe(200);
    expect((await list(sandbox, token, '', 'other')).status).toBe(403);
    expect((await list(sandbox, token, '', 'missing')).status).toBe(404);
  });
});

describe('cursor paging', () => {
  async function walk(sandbox: MidaxoSandbox, first: number): Promise<Page[]> {
    const token = await tokenFor(sandbox);
    const pages: Page[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listPage(sandbox, token, `?first=${first}${after ? `&after=${after}` : ''}`);
      pages.push(page);
      const next = page.paging.endCursor;
      if (page.data.length === 0 || typeof next !== 'string') return pages;
      after = next;
    }
  }

  it('keeps the cursor on the last page by default, so only the next, empty page ends the listing', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(5) } });

    const pages = await walk(sandbox, 2);

    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 1, 0]);
    expect(pages[2]?.paging.endCursor).toEqual(expect.any(String));
    expect(pages[3]?.paging.endCursor).toBeNull();
    expect(pages.flatMap(ids)).toEqual(sampleProjects(5).map((project) => project.id));
  });

  it.each([
    ['null', null],
    ['absent', undefined],
  ] as const)("with endCursorOnLastPage '%s' the last page ends the listing", async (mode, expected) => {
    const sandbox = await start({ endCursorOnLastPage: mode, processes: { [PROCESS]: sampleProjects(5) } });

    const pages = await walk(sandbox, 2);

    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 1]);
    expect(pages[2]?.paging.endCursor).toBe(expected);
    expect('endCursor' in (pages[2]?.paging ?? {})).toBe(mode === 'null');
    expect(pages.flatMap(ids)).toHaveLength(5);
  });

  it('caps `first` at maxPageSize silently and uses defaultPageSize without `first`', async () => {
    const sandbox = await start({
      maxPageSize: 3,
      defaultPageSize: 2,
      processes: { [PROCESS]: sampleProjects(10) },
    });
    const token = await tokenFor(sandbox);

    expect((await listPage(sandbox, token, '?first=50')).data).toHaveLength(3);
    expect((await listPage(sandbox, token)).data).toHaveLength(2);
  });

  it('names the array after itemsKey', async () => {
    const sandbox = await start({ itemsKey: 'projects', processes: { [PROCESS]: sampleProjects(1) } });

    const body = (await (await list(sandbox, await tokenFor(sandbox))).json()) as JsonObject;

    expect(Object.keys(body).sort()).toEqual(['paging', 'projects']);
  });

  it('keeps a cursor valid when projects are added, updated and deleted between pages', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(6) } });
    const token = await tokenFor(sandbox);
    const first = await listPage(sandbox, token, '?first=3');

    sandbox.deleteProject(PROCESS, 'prj-000003');
    sandbox.deleteProject(PROCESS, 'prj-000004');
    sandbox.upsertProject(PROCESS, sampleProject(9));
    sandbox.updateProject(PROCESS, 'prj-000005', { stage: 'Closing' });
    const second = await listPage(sandbox, token, `?first=3&after=${first.paging.endCursor}`);

    expect(ids(first)).toEqual(['prj-000001', 'prj-000002', 'prj-000003']);
    expect(ids(second)).toEqual(['prj-000005', 'prj-000006', 'prj-000009']);
    expect(second.data[0]?.stage).toBe('Closing');
  });

  it('with endlessCursors, hands out a new cursor with every page and starts over past the last project', async () => {
    const sandbox = await start({ endlessCursors: true, processes: { [PROCESS]: sampleProjects(3) } });
    const token = await tokenFor(sandbox);
    const pages: Page[] = [];

    for (let after = ''; pages.length < 5; after = `&after=${pages.at(-1)?.paging.endCursor}`) {
      pages.push(await listPage(sandbox, token, `?first=2${after}`));
    }

    const [one, two, three] = sampleProjects(3).map((project) => project.id);
    expect(pages.map(ids)).toEqual([[one, two], [three], [one, two], [three], [one, two]]);
    expect(new Set(pages.map((page) => page.paging.endCursor)).size).toBe(5);
  });

  it('answers 400 for a cursor it did not issue and for a `first` that is not a positive integer', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(1) } });
    const token = await tokenFor(sandbox);

    for (const query of ['?after=not-a-cursor', '?after=', '?first=0', '?first=-1', '?first=ten']) {
      expect((await list(sandbox, token, query)).status, query).toBe(400);
    }
  });
});

describe('update-time filter', () => {
  const at = (updatedAt: string, index: number) => ({ ...sampleProject(index), updatedAt });

  async function filtered(query: string): Promise<string[]> {
    const sandbox = await start({
      processes: {
        [PROCESS]: [
          at('2024-11-23T23:59:59.999Z', 1),
          at('2024-11-24T00:00:00.000Z', 2),
          at('2024-11-24T12:00:00.000Z', 3),
          at('2024-11-26T00:00:00.000Z', 4),
        ],
      },
    });
    return ids(await listPage(sandbox, await tokenFor(sandbox), query));
  }

  it('excludes both bounds of a full ISO-8601 window', async () => {
    expect(
      await filtered('?updatedAfter=2024-11-24T00:00:00Z&updatedBefore=2024-11-26T00:00:00.000Z'),
    ).toEqual(['prj-000003']);
  });

  it('reads plain dates as midnight UTC', async () => {
    expect(await filtered('?updatedAfter=2024-11-24')).toEqual(['prj-000003', 'prj-000004']);
    expect(await filtered('?updatedBefore=2024-11-24')).toEqual(['prj-000001']);
  });

  it('accepts offsets other than Z', async () => {
    expect(await filtered('?updatedAfter=2024-11-24T02:00:00%2B02:00')).toEqual(['prj-000003', 'prj-000004']);
  });

  it('answers 400 for a value that is neither an ISO-8601 timestamp nor a date', async () => {
    const sandbox = await start({ processes: { [PROCESS]: [] } });
    const token = await tokenFor(sandbox);

    for (const value of ['yesterday', '2024-02-30', '2024-11-24T10:00:00', '1732406400']) {
      const response = await list(sandbox, token, `?updatedAfter=${value}`);
      expect(response.status, value).toBe(400);
      expect(await response.json()).toEqual({ message: expect.stringContaining('updatedAfter') });
    }
  });

  it('stamps updatedAt with the sandbox clock unless the caller gives one', async () => {
    const clock = new Date('2025-05-05T05:05:05.000Z');
    const sandbox = await start({ now: () => clock });
    const { updatedAt: _omitted, ...withoutUpdatedAt } = sampleProject(1);

    expect(sandbox.upsertProject(PROCESS, withoutUpdatedAt).updatedAt).toBe(clock.toISOString());
    expect(sandbox.upsertProject(PROCESS, sampleProject(2)).updatedAt).toBe(sampleProject(2).updatedAt);
    expect(sandbox.updateProject(PROCESS, 'prj-000002', { stage: 'Signing' }).updatedAt).toBe(
      clock.toISOString(),
    );
  });
});

describe('response size cap', () => {
  it('fails a page over 6 MB with 413 and a JSON error, and serves smaller pages of the same projects', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(10, { paddingBytes: 700_000 }) } });
    const token = await tokenFor(sandbox);

    const whole = await list(sandbox, token);
    const half = await list(sandbox, token, '?first=5');

    expect(whole.status).toBe(413);
    expect(await whole.json()).toEqual({ message: expect.stringContaining('6291456') });
    expect(half.status).toBe(200);
    expect(sandbox.counters.oversizeResponses).toBe(1);
  });

  it('can fail oversize pages with another status, as a gateway might', async () => {
    const sandbox = await start({
      maxResponseBytes: 10_000,
      oversizeStatus: 502,
      processes: { [PROCESS]: sampleProjects(50) },
    });

    expect((await list(sandbox, await tokenFor(sandbox))).status).toBe(502);
  });
});

describe('fault injection', () => {
  it('answers 429 with Retry-After for failNext, then serves normally', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(1) } });
    const token = await tokenFor(sandbox);

    sandbox.failNext({ kind: 'rate-limit', count: 2, retryAfter: 7 });
    const limited = [await list(sandbox, token), await list(sandbox, token)];
    const served = await list(sandbox, token);

    expect(limited.map((response) => [response.status, response.headers.get('retry-after')])).toEqual([
      [429, '7'],
      [429, '7'],
    ]);
    expect(served.status).toBe(200);
    expect(sandbox.counters.faultsInjected['rate-limit']).toBe(2);
  });

  it('sends Retry-After as an HTTP date when given a date', async () => {
    const sandbox = await start({ processes: { [PROCESS]: [] } });
    const until = new Date('2030-01-01T00:00:30Z');

    sandbox.failNext({ kind: 'rate-limit', retryAfter: until });
    const response = await list(sandbox, await tokenFor(sandbox));

    expect(response.headers.get('retry-after')).toBe('Tue, 01 Jan 2030 00:00:30 GMT');
  });

  it('injects server errors, resets, truncated bodies and 401s, and counts them by kind', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(3) } });
    const token = await tokenFor(sandbox);

    sandbox.failNext({ kind: 'server-error' });
    expect((await list(sandbox, token)).status).toBe(500);
    sandbox.failNext({ kind: 'reset' });
    await expect(list(sandbox, token)).rejects.toThrow(TypeError);
    sandbox.failNext({ kind: 'truncated' });
    const truncated = await list(sandbox, token);
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow(SyntaxError);
    sandbox.failNext({ kind: 'unauthorized' });
    expect((await list(sandbox, token)).status).toBe(401);

    expect(sandbox.counters.faultsInjected).toEqual({
      'rate-limit': 0,
      'server-error': 1,
      reset: 1,
      truncated: 1,
      unauthorized: 1,
    });
    expect(sandbox.requests.map((request) => [request.status, request.fault])).toEqual([
      [200, undefined],
      [500, 'server-error'],
      [null, 'reset'],
      [200, 'truncated'],
      [401, 'unauthorized'],
    ]);
  });

  it('repeats the same random faults for the same seed', async () => {
    async function statuses(seed: number): Promise<(number | null)[]> {
      const sandbox = await start({
        seed,
        faults: { rateLimitRate: 0.2, serverErrorRate: 0.2, truncatedRate: 0.1 },
        processes: { [PROCESS]: sampleProjects(2) },
      });
      const token = await tokenFor(sandbox);
      for (let i = 0; i < 30; i++) await list(sandbox, token);
      return sandbox.requests
        .filter((request) => request.path !== '/oauth/token')
        .map((request) => request.status);
    }

    const first = await statuses(42);

    expect(await statuses(42)).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });
});

describe('observation', () => {
  it('counts requests and projects, and logs requests without any token or secret', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(5) } });
    const token = await tokenFor(sandbox);

    await list(sandbox, token, '?first=3');
    await list(sandbox, `Bearer ${token}`);

    expect(sandbox.counters).toMatchObject({
      tokenRequests: 1,
      tokensIssued: 1,
      listingRequests: 2,
      projectsReturned: 3,
    });
    expect(sandbox.requests).toEqual([
      { method: 'POST', path: '/oauth/token', query: {}, status: 200 },
      { method: 'GET', path: `/processes/${PROCESS}/projects`, query: { first: '3' }, status: 200 },
      { method: 'GET', path: `/processes/${PROCESS}/projects`, query: {}, status: 401 },
    ]);
    const logged = JSON.stringify(sandbox.requests);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(DEFAULT_SANDBOX_CLIENT.clientSecret);
  });

  it('starts counting afresh after resetObservations', async () => {
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(1) } });
    await list(sandbox, await tokenFor(sandbox));

    sandbox.resetObservations();

    expect(sandbox.requests).toEqual([]);
    expect(sandbox.counters).toMatchObject({ tokenRequests: 0, tokensIssued: 0, listingRequests: 0 });
  });
});

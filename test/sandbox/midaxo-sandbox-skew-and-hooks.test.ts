/**
 * The sandbox options the fault-injection suite relies on: a skewed server clock, a hook that runs
 * between listing requests, fault rates that can change mid-run, and seeded latency jitter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_CLIENT,
  type ListingHookRequest,
  type MidaxoSandbox,
  type MidaxoSandboxOptions,
  startMidaxoSandbox,
} from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import type { JsonObject } from '../../shared/core/json.js';

const PROCESS = 'proc-1';
const CLIENT_NOW = new Date('2026-03-01T12:00:00.000Z');
const sandboxes: MidaxoSandbox[] = [];

async function start(options: MidaxoSandboxOptions = {}): Promise<MidaxoSandbox> {
  const sandbox = await startMidaxoSandbox({ now: () => CLIENT_NOW, ...options });
  sandboxes.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

async function tokenFor(sandbox: MidaxoSandbox): Promise<string> {
  const response = await fetch(sandbox.authUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEFAULT_SANDBOX_CLIENT.clientId,
      client_secret: DEFAULT_SANDBOX_CLIENT.clientSecret,
      audience: sandbox.audience,
    }).toString(),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function listPage(
  sandbox: MidaxoSandbox,
  token: string,
  query = '',
): Promise<{ ids: string[]; endCursor: string | null }> {
  const response = await fetch(`${sandbox.apiUrl}/processes/${PROCESS}/projects${query}`, {
    headers: { authorization: token },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: JsonObject[]; paging: { endCursor: string | null } };
  return { ids: body.data.map((project) => String(project.id)), endCursor: body.paging.endCursor };
}

async function listIds(sandbox: MidaxoSandbox, token: string, query = ''): Promise<string[]> {
  return (await listPage(sandbox, token, query)).ids;
}

describe('server clock skew', () => {
  it('stamps updatedAt with a clock running ahead of the client by clockSkewMs', async () => {
    const sandbox = await start({ clockSkewMs: 4 * 60_000, processes: { [PROCESS]: [] } });

    const project = sandbox.upsertProject(PROCESS, { id: 'p1', name: 'Ahead' });

    expect(project.updatedAt).toBe('2026-03-01T12:04:00.000Z');
  });

  it('filters by the skewed stamps, so a fresh edit falls after an updatedBefore of the client clock', async () => {
    const sandbox = await start({ processes: { [PROCESS]: [] } });
    sandbox.setClockSkew(2 * 60_000);
    sandbox.upsertProject(PROCESS, { id: 'p1', name: 'Ahead' });
    sandbox.setClockSkew(-2 * 60_000);
    sandbox.upsertProject(PROCESS, { id: 'p2', name: 'Behind' });
    const token = await tokenFor(sandbox);

    const before = await listIds(sandbox, token, `?updatedBefore=${CLIENT_NOW.toISOString()}`);

    expect(before).toEqual(['p2']);
  });
});

describe('beforeListing hook', () => {
  it('runs before each listing request, so edits between pages show on the following pages', async () => {
    const seen: ListingHookRequest[] = [];
    let sandbox: MidaxoSandbox | undefined;
    sandbox = await start({
      processes: { [PROCESS]: sampleProjects(4) },
      beforeListing: (request) => {
        seen.push(request);
        if (request.query.after !== undefined) {
          sandbox?.upsertProject(PROCESS, { id: 'prj-999999', name: 'Created mid-listing' });
        }
      },
    });
    const token = await tokenFor(sandbox);

    const first = await listPage(sandbox, token, '?first=2');
    const rest = await listPage(sandbox, token, `?first=10&after=${first.endCursor}`);

    expect(first.ids).toEqual(['prj-000001', 'prj-000002']);
    expect(rest.ids).toEqual(['prj-000003', 'prj-000004', 'prj-999999']);
    expect(seen).toEqual([
      { processId: PROCESS, query: { first: '2' }, sequence: 1 },
      { processId: PROCESS, query: { first: '10', after: first.endCursor }, sequence: 2 },
    ]);
  });

  it('holds the answer until a returned promise settles', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sandbox = await start({ processes: { [PROCESS]: sampleProjects(1) }, beforeListing: () => gate });
    const token = await tokenFor(sandbox);
    let answered = false;

    const listing = listIds(sandbox, token).then((ids) => {
      answered = true;
      return ids;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const answeredBeforeRelease = answered;
    release();

    expect(answeredBeforeRelease).toBe(false);
    expect(await listing).toEqual(['prj-000001']);
  });
});

describe('changing fault rates', () => {
  it('turns random faults off with setFaults({}) and on again', async () => {
    const sandbox = await start({
      faults: { serverErrorRate: 1 },
      processes: { [PROCESS]: sampleProjects(1) },
    });
    const token = await tokenFor(sandbox);
    const status = async () =>
      (await fetch(`${sandbox.apiUrl}/processes/${PROCESS}/projects`, { headers: { authorization: token } }))
        .status;

    const faulty = await status();
    sandbox.setFaults({});
    const clean = await status();
    sandbox.setFaults({ rateLimitRate: 1, retryAfterSeconds: 0 });
    const limited = await fetch(`${sandbox.apiUrl}/processes/${PROCESS}/projects`, {
      headers: { authorization: token },
    });

    expect([faulty, clean, limited.status]).toEqual([500, 200, 429]);
    expect(limited.headers.get('retry-after')).toBe('0');
  });
});

describe('latency jitter', () => {
  it('keeps the seeded fault sequence the same whether or not jitter is added', async () => {
    async function statuses(jitterMs: number): Promise<(number | null)[]> {
      const sandbox = await start({
        seed: 7,
        faults: { serverErrorRate: 0.3, rateLimitRate: 0.2, retryAfterSeconds: 0 },
        latency: { perRequestMs: 0, perProjectMs: 0, jitterMs },
        processes: { [PROCESS]: sampleProjects(1) },
      });
      const token = await tokenFor(sandbox);
      for (let i = 0; i < 20; i++) {
        await fetch(`${sandbox.apiUrl}/processes/${PROCESS}/projects`, { headers: { authorization: token } });
      }
      return sandbox.requests.filter((r) => r.path !== '/oauth/token').map((r) => r.status);
    }

    const withoutJitter = await statuses(0);

    expect(await statuses(5)).toEqual(withoutJitter);
    expect(withoutJitter).toContain(500);
  });
});

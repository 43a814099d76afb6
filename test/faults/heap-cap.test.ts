/**
 * Memory at the deployed heap cap: the real poll (the local command: SQLite, the Midaxo adapter, the
 * core) runs in a child process with the Lambdas' own `--max-old-space-size`, against a hostile Midaxo
 * in this process. A page flooded with 400,000 projects fails its process alone with the reason; a
 * listing of 400 pages of 8,000-character ids is read to its end. Neither may end in "heap out of memory".
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LAMBDA_HEAP_FLAGS } from '../../shared/config/lambda-runtime.js';
import { listenOnLoopback } from '../adapters/midaxo/stub-server.js';
import { localMainArgs } from '../support/local-main.js';

/** Answers the listing of `processId` for the cursor asked with (`undefined` for the first page). */
type Listing = (after: string | undefined, first: number) => string;

interface HostileMidaxo {
  readonly url: string;
  /** Listing requests received, per process. */
  readonly requests: Map<string, number>;
  close(): Promise<void>;
}

async function startHostileMidaxo(listings: Record<string, Listing>): Promise<HostileMidaxo> {
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/oauth/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'heap-cap-token', token_type: 'Bearer', expires_in: 3600 }));
      return;
    }
    const processId = /^\/processes\/([^/]+)\/projects$/.exec(url.pathname)?.[1] ?? '';
    const listing = listings[processId];
    if (listing === undefined) {
      res.writeHead(404).end();
      return;
    }
    requests.set(processId, (requests.get(processId) ?? 0) + 1);
    const after = url.searchParams.get('after') ?? undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(listing(after, Number(url.searchParams.get('first'))));
  });
  return { ...(await listenOnLoopback(server)), requests };
}

const UPDATED_AT = '2026-11-27T07:00:00.000Z';

/** A well-behaved process of three projects on one page. */
const healthyListing: Listing = () =>
  JSON.stringify({
    data: [1, 2, 3].map((n) => ({ id: `healthy-${n}`, name: `Deal ${n}`, updatedAt: UPDATED_AT })),
    paging: { endCursor: null },
  });

/** One page of 5.5 MB (under the 6 MB cap) holding 400,000 projects, whatever `first` asked for. */
const FLOOD_ITEMS = 400_000;
const floodListing: Listing = () => {
  const items = Array.from({ length: FLOOD_ITEMS }, (_, n) => `{"id":${n}}`);
  return `{"data":[${items.join(',')}],"paging":{"endCursor":"more"}}`;
};

const LONG_PAGES = 400;
const LONG_ID_CHARS = 8_000;
/** 400 pages of as many projects as asked for, each id 8,000 characters long and unlike every other. */
const longIdListing: Listing = (after, first) => {
  const page = after === undefined ? 1 : Number(after.replace('page-', ''));
  const data = Array.from({ length: first }, (_, n) => {
    const stem = `p${page}-${n}-`;
    return { id: stem.padEnd(LONG_ID_CHARS, 'x'), updatedAt: UPDATED_AT };
  });
  return JSON.stringify({ data, paging: { endCursor: page < LONG_PAGES ? `page-${page + 1}` : null } });
};

interface ChildOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe('the poll at the deployed heap cap', () => {
  let dir: string;
  let midaxo: HostileMidaxo | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'heap-cap-'));
  });
  afterEach(async () => {
    await midaxo?.close();
    midaxo = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function pollOnce(processIds: readonly string[]): Promise<ChildOutcome> {
    if (midaxo === undefined) throw new Error('start the hostile Midaxo first');
    // The flags go to the process that polls: tsx as a loader, not as a launcher of another process.
    const args = localMainArgs(
      [
        '--once',
        '--api-url',
        midaxo.url,
        '--auth-url',
        `${midaxo.url}/oauth/token`,
        ...processIds.flatMap((id) => ['--process', id]),
        '--state',
        join(dir, 'state.sqlite'),
      ],
      LAMBDA_HEAP_FLAGS,
    );
    const env = { ...process.env, MIDAXO_CLIENT_ID: 'heap-cap', MIDAXO_CLIENT_SECRET: 'heap-cap-secret' };
    const child = spawn(process.execPath, args, { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  }

  it('fails a process whose page holds 400,000 projects, with the reason, and polls the others', async () => {
    midaxo = await startHostileMidaxo({ flood: floodListing, healthy: healthyListing });

    const run = await pollOnce(['flood', 'healthy']);

    expect(run.stderr).not.toMatch(/heap out of memory|heap limit/i);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /flood: FAILED: .*the page holds 400000 items, more than the 100 asked for \(first=100\)/,
    );
    expect(run.stderr).toContain('healthy: first cycle: recorded 3 projects');
    expect(midaxo.requests.get('flood')).toBe(1);
  }, 60_000);

  it('reads 400 pages of 8,000-character ids to the end', async () => {
    midaxo = await startHostileMidaxo({ long: longIdListing });

    const run = await pollOnce(['long']);

    expect(run.stderr).not.toMatch(/heap out of memory|heap limit/i);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('long: first cycle: recorded 40,000 projects');
    expect(run.stderr).toContain('40,000 projects read in 400 pages');
    expect(midaxo.requests.get('long')).toBe(LONG_PAGES);
    // About 30 s of CPU, most of it SQLite comparing 16 KB rows by their 8,000-character keys; the
    // timeout leaves room for a machine shared with other work.
  }, 180_000);
});

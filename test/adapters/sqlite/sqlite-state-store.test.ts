import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openSqliteStateStore,
  type SqliteStateStore,
} from '../../../shared/adapters/sqlite/sqlite-state-store.js';
import { StateDatabaseError } from '../../../shared/adapters/sqlite/state-database-error.js';
import type { StoredProject } from '../../../shared/core/ports.js';

describe('SQLite state store', () => {
  let dir: string;
  const opened: SqliteStateStore[] = [];
  const open = (path = join(dir, 'state', 'notifier.sqlite')) => {
    const store = openSqliteStateStore({ path });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-store-'));
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the hashes and snapshots it was given, after the database is closed and reopened', async () => {
    const first = open();
    await first.putProjects('p1', [
      {
        projectId: 'a',
        hash: 'h-a',
        snapshot: { id: 'a', name: 'Falcon', tags: ['x'], value: { amount: 5 } },
      },
      { projectId: 'b', hash: 'h-b' },
    ]);
    await first.advanceWatermark('p1', '2025-01-01T00:00:00.000Z');
    first.close();

    const second = open();
    const found = await second.getProjects('p1', ['a', 'b', 'missing']);

    expect([...found.keys()].sort()).toEqual(['a', 'b']);
    expect(found.get('a')).toEqual({
      projectId: 'a',
      hash: 'h-a',
      snapshot: { id: 'a', name: 'Falcon', tags: ['x'], value: { amount: 5 } },
    });
    expect(found.get('b')).toEqual({ projectId: 'b', hash: 'h-b' });
    expect(await second.getWatermark('p1')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('keeps processes apart', async () => {
    const store = open();
    await store.putProjects('p1', [{ projectId: 'a', hash: 'one' }]);
    await store.putProjects('p2', [{ projectId: 'a', hash: 'two' }]);
    await store.advanceWatermark('p1', '2025-01-01T00:00:00.000Z');

    expect((await store.getProjects('p2', ['a'])).get('a')?.hash).toBe('two');
    expect(await store.getWatermark('p2')).toBeUndefined();
  });

  it('replaces a project saved again and drops a snapshot no longer given', async () => {
    const store = open();
    await store.putProjects('p1', [{ projectId: 'a', hash: 'old', snapshot: { id: 'a' } }]);
    await store.putProjects('p1', [{ projectId: 'a', hash: 'new' }]);

    expect((await store.getProjects('p1', ['a'])).get('a')).toEqual({ projectId: 'a', hash: 'new' });
  });

  it('moves the watermark forward only', async () => {
    const store = open();
    await store.advanceWatermark('p1', '2025-03-01T00:00:00.000Z');
    await store.advanceWatermark('p1', '2025-02-01T00:00:00.000Z');
    expect(await store.getWatermark('p1')).toBe('2025-03-01T00:00:00.000Z');

    await store.advanceWatermark('p1', '2025-03-01T00:00:01.000Z');
    expect(await store.getWatermark('p1')).toBe('2025-03-01T00:00:01.000Z');
  });

  it('refuses a watermark that is not an instant', async () => {
    const store = open();
    await expect(store.advanceWatermark('p1', 'yesterday')).rejects.toThrow(/ISO-8601 instant/);
    expect(await store.getWatermark('p1')).toBeUndefined();
  });

  it('saves nothing of a batch that fails part-way', async () => {
    const store = open();
    const batch = [
      { projectId: 'a', hash: 'h-a' },
      { projectId: 'b', hash: null as unknown as string },
    ];

    await expect(store.putProjects('p1', batch)).rejects.toThrow();
    expect((await store.getProjects('p1', ['a', 'b'])).size).toBe(0);
  });

  it('reports a stored snapshot that no longer parses as not kept, instead of failing', async () => {
    const path = join(dir, 'damaged.sqlite');
    const store = open(path);
    await store.putProjects('p1', [{ projectId: 'a', hash: 'h', snapshot: { id: 'a' } }]);
    store.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(path);
    raw.prepare("UPDATE projects SET snapshot = '{broken' WHERE project_id = 'a'").run();
    raw.close();

    expect((await open(path).getProjects('p1', ['a'])).get('a')).toEqual({ projectId: 'a', hash: 'h' });
  });

  it('holds 100,000 projects of one process and finds any page of them', async () => {
    const store = open();
    const projects: StoredProject[] = Array.from({ length: 100_000 }, (_, i) => ({
      projectId: `prj-${String(i).padStart(6, '0')}`,
      hash: `hash-${i}`,
      snapshot: {
        id: `prj-${i}`,
        name: `Deal ${i}`,
        stage: 'Sourcing',
        value: { amount: i, currency: 'EUR' },
      },
    }));
    for (let start = 0; start < projects.length; start += 1000) {
      await store.putProjects('big', projects.slice(start, start + 1000));
    }

    const page = projects.slice(54_000, 54_100).map((project) => project.projectId);
    const found = await store.getProjects('big', page);

    expect(found.size).toBe(100);
    expect(found.get('prj-054042')?.hash).toBe('hash-54042');
    expect(found.get('prj-054042')?.snapshot).toEqual(projects[54_042]?.snapshot);
  });

  it('lists every stored project of a process page by page, even while the caller deletes some', async () => {
    const store = open();
    const ids = Array.from({ length: 2500 }, (_, i) => `prj-${String(i).padStart(4, '0')}`);
    await store.putProjects(
      'p1',
      ids.map((projectId) => ({ projectId, hash: `h-${projectId}` })),
    );
    await store.putProjects('p2', [{ projectId: 'other', hash: 'h' }]);

    const listed: string[] = [];
    let pages = 0;
    for await (const page of store.listProjects('p1')) {
      pages++;
      listed.push(...page.map((project) => project.projectId));
      await store.deleteProjects(
        'p1',
        page.filter((_, i) => i % 2 === 0).map((project) => project.projectId),
      );
    }

    expect(pages).toBe(3);
    expect(listed).toEqual(ids);
    expect((await store.getProjects('p1', ids)).size).toBe(1250);
    expect((await store.getProjects('p2', ['other'])).size).toBe(1);
  });

  it('creates the folder of a new database file', async () => {
    const store = open(join(dir, 'deep', 'er', 'state.sqlite'));
    await store.putProjects('p1', [{ projectId: 'a', hash: 'h' }]);
    expect(store.path).toBe(join(dir, 'deep', 'er', 'state.sqlite'));
  });

  it('creates the folder for the user alone, and the database and its log files readable by the user only', async () => {
    const folder = join(dir, 'private');
    const store = open(join(folder, 'state.sqlite'));
    await store.putProjects('p1', [{ projectId: 'a', hash: 'h', snapshot: { id: 'a', name: 'Falcon' } }]);

    const modeOf = (path: string) => statSync(path).mode & 0o777;
    expect(modeOf(folder)).toBe(0o700);
    for (const file of readdirSync(folder)) expect([file, modeOf(join(folder, file))]).toEqual([file, 0o600]);
    expect(readdirSync(folder)).toContain('state.sqlite-wal');
  });

  it('names the file when it is not a database', () => {
    const path = join(dir, 'not-a-db.sqlite');
    writeFileSync(path, 'this is plain text, not SQLite, and long enough to have a header '.repeat(10));

    expect(() => open(path)).toThrow(StateDatabaseError);
    expect(() => open(path)).toThrow(/Cannot open the state database .*not-a-db\.sqlite/);
  });
});

import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSqliteStateStore,
  type SqliteStateStore,
} from '../../../shared/adapters/sqlite/sqlite-state-store.js';
import { StateDatabaseError } from '../../../shared/adapters/sqlite/state-database-error.js';
import type { StoredProject } from '../../../shared/core/ports.js';
import { ManualClock, TEST_START } from '../../fakes/in-memory-ports.js';
import { describeProcessStoreContract, runOnce } from '../contracts/process-store-contract.js';
import { allListed, allOf, allRecorded, pendingChange } from '../contracts/recorded-changes.js';
import { describeStateStoreContract } from '../contracts/state-store-contract.js';
import { useTempSqliteStores } from './temp-sqlite-stores.js';

describe('SQLite state store contracts', () => {
  const clock = new ManualClock(TEST_START);
  let contractDir: string;
  let shared: SqliteStateStore;
  beforeAll(() => {
    contractDir = mkdtempSync(join(tmpdir(), 'sqlite-contract-'));
    shared = openSqliteStateStore({ path: join(contractDir, 'notifier.sqlite'), clock });
  });
  afterAll(() => {
    shared.close();
    rmSync(contractDir, { recursive: true, force: true });
  });

  describeStateStoreContract('SQLite state store', () => shared);
  describeProcessStoreContract('SQLite process store', () => shared, clock);
});

describe('SQLite state store', () => {
  const stores = useTempSqliteStores('sqlite-store-');
  const open = (path = join(stores.dir(), 'state', 'notifier.sqlite'), eventRetentionDays?: number) =>
    stores.open({ path, eventRetentionDays });

  it('returns the states, watermark and event log it was given, after the database is closed and reopened', async () => {
    const first = open();
    await first.putProjects('p1', [
      {
        projectId: 'a',
        hash: 'h-a',
        sequence: 2,
        snapshot: { id: 'a', name: 'Falcon', tags: ['x'], value: { amount: 5 } },
      },
      { projectId: 'b', hash: 'h-b', sequence: 1 },
    ]);
    const change = pendingChange('updated', 'a', 2, { processId: 'p1' });
    await first.recordChanges('p1', [change], new Date());
    await runOnce(first, 'p1', { watermark: '2025-01-01T00:00:00.000Z', outboxDelivered: true });
    first.close();

    const second = open();
    const found = await second.getProjects('p1', ['a', 'b', 'missing']);

    expect([...found.keys()].sort()).toEqual(['a', 'b']);
    expect(found.get('a')).toEqual({
      projectId: 'a',
      hash: 'h-a',
      sequence: 2,
      snapshot: { id: 'a', name: 'Falcon', tags: ['x'], value: { amount: 5 } },
    });
    expect(found.get('b')).toEqual({ projectId: 'b', hash: 'h-b', sequence: 1 });
    expect((await runOnce(second, 'p1'))?.watermark).toBe('2025-01-01T00:00:00.000Z');
    const recorded = await allRecorded(second, 'p1', { since: '2025-01-01T00:00:00.000Z' });
    expect(recorded.map((entry) => entry.event)).toEqual([change.event]);
  });

  it('keeps processes apart', async () => {
    const store = open();
    await store.putProjects('p1', [{ projectId: 'a', hash: 'one', sequence: 1 }]);
    await store.putProjects('p2', [{ projectId: 'a', hash: 'two', sequence: 1 }]);
    await runOnce(store, 'p1', { watermark: '2025-01-01T00:00:00.000Z', outboxDelivered: true });

    expect((await store.getProjects('p2', ['a'])).get('a')?.hash).toBe('two');
    expect((await runOnce(store, 'p2'))?.watermark).toBeUndefined();
  });

  it('replaces a project saved again and drops a snapshot no longer given', async () => {
    const store = open();
    await store.putProjects('p1', [{ projectId: 'a', hash: 'old', sequence: 1, snapshot: { id: 'a' } }]);
    await store.putProjects('p1', [{ projectId: 'a', hash: 'new', sequence: 2 }]);

    expect((await store.getProjects('p1', ['a'])).get('a')).toEqual({
      projectId: 'a',
      hash: 'new',
      sequence: 2,
    });
  });

  it('saves nothing of a batch that fails part-way', async () => {
    const store = open();
    const batch = [
      { projectId: 'a', hash: 'h-a', sequence: 1 },
      { projectId: 'b', hash: null as unknown as string, sequence: 1 },
    ];

    await expect(store.putProjects('p1', batch)).rejects.toThrow();
    expect((await store.getProjects('p1', ['a', 'b'])).size).toBe(0);
  });

  it('reports a stored snapshot that no longer parses as not kept, instead of failing', async () => {
    const path = join(stores.dir(), 'damaged.sqlite');
    const store = open(path);
    await store.putProjects('p1', [{ projectId: 'a', hash: 'h', sequence: 1, snapshot: { id: 'a' } }]);
    store.close();
    const raw = new Database(path);
    raw.prepare("UPDATE projects SET snapshot = '{broken' WHERE project_id = 'a'").run();
    raw.close();

    expect((await open(path).getProjects('p1', ['a'])).get('a')).toEqual({
      projectId: 'a',
      hash: 'h',
      sequence: 1,
    });
  });

  it('refuses to resume from a damaged checkpoint, naming the process and how to clear it', async () => {
    const path = join(stores.dir(), 'damaged-checkpoint.sqlite');
    const store = open(path);
    await store.release('p1', 'local', {
      checkpoint: { window: {}, after: 'cursor', baseline: false },
      outboxDelivered: true,
    });
    store.close();
    const raw = new Database(path);
    raw.prepare("UPDATE processes SET checkpoint = '{\"after\":1}' WHERE process_id = 'p1'").run();
    raw.close();

    await expect(open(path).claim('p1', 'local', new Date())).rejects.toThrow(
      /checkpoint of process p1 .* is damaged; .*SET checkpoint = NULL/,
    );
  });

  it("refuses to hand back, for replay, a recorded event that is no longer a change event or not its row's", async () => {
    const path = join(stores.dir(), 'damaged-events.sqlite');
    const store = openSqliteStateStore({ path });
    const at = new Date('2026-11-27T10:00:00.000Z');
    await store.recordChanges('p1', [pendingChange('updated', 'a', 1, { processId: 'p1' })], at);
    await store.recordChanges('p2', [pendingChange('updated', 'b', 1, { processId: 'p2' })], at);
    await store.recordChanges('p3', [pendingChange('updated', 'c', 1, { processId: 'p3' })], at);
    store.close();
    const raw = new Database(path);
    raw
      .prepare(
        `UPDATE events SET event = json_set(event, '$.type', 'com.midaxo.project.renamed') WHERE project_id = 'a'`,
      )
      .run();
    raw
      .prepare(`UPDATE events SET event = json_set(event, '$.data.projectId', 'c') WHERE project_id = 'b'`)
      .run();
    // Still an envelope, but against the published contract: its time is no RFC 3339 instant.
    raw
      .prepare(`UPDATE events SET event = json_set(event, '$.time', 'yesterday') WHERE project_id = 'c'`)
      .run();
    raw.close();
    const reopened = openSqliteStateStore({ path });

    for (const processId of ['p1', 'p2', 'p3']) {
      const reading = allRecorded(reopened, processId, { since: at.toISOString() });
      await expect(reading).rejects.toThrow(StateDatabaseError);
      await expect(reading).rejects.toThrow(
        new RegExp(`recorded event of process ${processId} .* is damaged`),
      );
    }
    reopened.close();
  });

  it('holds 100,000 projects of one process and finds any page of them', async () => {
    const store = open();
    const projects: StoredProject[] = Array.from({ length: 100_000 }, (_, i) => ({
      projectId: `prj-${String(i).padStart(6, '0')}`,
      hash: `hash-${i}`,
      sequence: i % 7,
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
    expect(found.get('prj-054042')).toEqual(projects[54_042]);
  });

  it('lists every stored project of a process page by page, even while the caller writes between pages', async () => {
    const store = open();
    const ids = Array.from({ length: 2500 }, (_, i) => `prj-${String(i).padStart(4, '0')}`);
    await store.putProjects(
      'p1',
      ids.map((projectId) => ({ projectId, hash: `h-${projectId}`, sequence: 1 })),
    );
    await store.putProjects('p2', [{ projectId: 'other', hash: 'h', sequence: 1 }]);

    const listed: string[] = [];
    let pages = 0;
    for await (const page of store.listProjects('p1')) {
      pages++;
      listed.push(...page.map((project) => project.projectId));
      await store.putProjects(
        'p1',
        page.filter((_, i) => i % 2 === 0).map((project) => ({ ...project, sequence: 2, deleted: true })),
      );
    }

    expect(pages).toBe(3);
    expect(listed).toEqual(ids);
    const deleted = (await allListed(store, 'p1')).filter((project) => project.deleted);
    expect(deleted).toHaveLength(1250);
    expect(deleted[0]).toEqual({ projectId: 'prj-0000', hash: 'h-prj-0000', sequence: 2, deleted: true });
  });

  it('hands out many small kept projects a thousand a page, skipping one that no longer parses, while the caller releases them', async () => {
    const store = open();
    const ids = Array.from({ length: 2501 }, (_, i) => `prj-${String(i).padStart(4, '0')}`);
    const since = '2026-11-27T09:35:00.000Z';
    await store.quarantine(
      'p1',
      ids.map((projectId) => ({ projectId, reason: 'refused', since, body: { id: projectId } })),
    );
    const damaged = new Database(store.path);
    damaged.prepare("UPDATE quarantine SET body = '{not json' WHERE project_id = ?").run('prj-0500');
    damaged.close();

    const pages: number[] = [];
    const retried: string[] = [];
    for await (const page of store.keptInQuarantine('p1')) {
      pages.push(page.length);
      retried.push(...page.map((entry) => entry.projectId));
      await store.releaseFromQuarantine(
        'p1',
        page.map((entry) => entry.projectId),
      );
    }

    expect(pages).toEqual([1000, 1000, 500]);
    expect(retried).toEqual(ids.filter((id) => id !== 'prj-0500'));
    expect(await allOf(store.listQuarantine('p1'))).toEqual([
      { projectId: 'prj-0500', reason: 'refused', since, kept: true },
    ]);
  });

  it('gives back an event log of more than one page complete and in order', async () => {
    const store = open();
    const changes = Array.from({ length: 2_345 }, (_, n) =>
      pendingChange('updated', `p-${String(n % 100).padStart(3, '0')}`, Math.floor(n / 100) + 1, {
        processId: 'p1',
      }),
    );
    await store.recordChanges('p1', changes, new Date('2026-11-27T10:00:00.000Z'));

    const pages: number[] = [];
    for await (const page of store.recordedChanges('p1', { since: '2026-11-27T10:00:00.000Z' })) {
      pages.push(page.length);
    }
    const recorded = await allRecorded(store, 'p1', { since: '2026-11-27T10:00:00.000Z' });

    expect(pages).toEqual([1000, 1000, 345]);
    const byProject = (change: { state: StoredProject }) => change.state.projectId;
    expect(recorded.map(byProject)).toEqual([...changes].map(byProject).sort());
    expect(new Set(recorded.map((change) => change.event.id)).size).toBe(changes.length);
    const ofOne = recorded.filter((change) => change.state.projectId === 'p-042');
    expect(ofOne.map((change) => change.state.sequence)).toEqual(Array.from({ length: 24 }, (_, n) => n + 1));
  });

  it('drops events older than the retention period when the database is opened', async () => {
    const path = join(stores.dir(), 'retention.sqlite');
    const store = open(path);
    const now = Date.now();
    const old = new Date(now - 4 * 86_400_000);
    const recent = new Date(now - 2 * 86_400_000);
    await store.recordChanges('p1', [pendingChange('created', 'p', 1, { processId: 'p1' })], old);
    await store.recordChanges('p1', [pendingChange('updated', 'p', 2, { processId: 'p1' })], recent);
    store.close();

    const reopened = open(path, 3);
    const recorded = await allRecorded(reopened, 'p1', { since: '2000-01-01T00:00:00.000Z' });

    expect(recorded.map((change) => change.recordedAt)).toEqual([recent.toISOString()]);
  });

  it('migrates a schema-1 database: watermarks and projects kept, projects at sequence 0', async () => {
    const path = join(stores.dir(), 'schema-1.sqlite');
    const legacy = new Database(path);
    legacy.exec(`
      CREATE TABLE watermarks (process_id TEXT PRIMARY KEY, watermark TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE projects (
        process_id TEXT NOT NULL, project_id TEXT NOT NULL, hash TEXT NOT NULL, snapshot TEXT,
        PRIMARY KEY (process_id, project_id)
      ) WITHOUT ROWID;
      INSERT INTO watermarks VALUES ('p1', '2025-06-01T00:00:00.000Z');
      INSERT INTO projects VALUES ('p1', 'a', 'h-a', '{"id":"a","stage":"LOI"}'), ('p1', 'b', 'h-b', NULL);
    `);
    legacy.pragma('user_version = 1');
    legacy.close();

    const store = open(path);

    expect(await allListed(store, 'p1')).toEqual([
      { projectId: 'a', hash: 'h-a', sequence: 0, snapshot: { id: 'a', stage: 'LOI' } },
      { projectId: 'b', hash: 'h-b', sequence: 0 },
    ]);
    expect(
      await runOnce(store, 'p1', { watermark: '2025-06-01T00:05:00.000Z', outboxDelivered: true }),
    ).toEqual({
      watermark: '2025-06-01T00:00:00.000Z',
    });
    store.close();
    const reopened = open(path);
    expect((await runOnce(reopened, 'p1'))?.watermark).toBe('2025-06-01T00:05:00.000Z');
    expect(new Database(path, { readonly: true }).pragma('user_version', { simple: true })).toBe(3);
  });

  it('moves the quarantine of a schema-3 file out of its WITHOUT ROWID table, entries and kept projects kept', async () => {
    const path = join(stores.dir(), 'schema-3.sqlite');
    open(path).close();
    const body = { id: 'prj-1', notes: 'Kept whole. '.repeat(200) };
    const schema3 = new Database(path);
    schema3.exec(`
      DROP TABLE quarantine;
      CREATE TABLE quarantine (
        process_id TEXT NOT NULL, project_id TEXT NOT NULL, reason TEXT NOT NULL, since TEXT NOT NULL, body TEXT,
        PRIMARY KEY (process_id, project_id)
      ) WITHOUT ROWID;
    `);
    schema3
      .prepare('INSERT INTO quarantine VALUES (?, ?, ?, ?, ?)')
      .run('p1', 'prj-1', 'refused', '2026-11-27T09:35:00.000Z', JSON.stringify(body));
    schema3.close();

    const store = open(path);
    const entry = { projectId: 'prj-1', reason: 'refused', since: '2026-11-27T09:35:00.000Z' };

    expect(await allOf(store.listQuarantine('p1'))).toEqual([{ ...entry, kept: true }]);
    expect(await allOf(store.keptInQuarantine('p1'))).toEqual([{ ...entry, body }]);
    const migrated = new Database(path, { readonly: true });
    const definition = migrated
      .prepare<[], string>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'quarantine'")
      .pluck()
      .get();
    expect(migrated.pragma('user_version', { simple: true })).toBe(3);
    migrated.close();
    expect(definition).not.toMatch(/WITHOUT\s+ROWID/i);
  });

  it('refuses a database written by a newer version, naming the file', () => {
    const path = join(stores.dir(), 'newer.sqlite');
    const newer = new Database(path);
    newer.pragma('user_version = 99');
    newer.close();

    expect(() => open(path)).toThrow(/newer\.sqlite was written by a newer version \(schema 99/);
  });

  it('creates the folder of a new database file', async () => {
    const store = open(join(stores.dir(), 'deep', 'er', 'state.sqlite'));
    await store.putProjects('p1', [{ projectId: 'a', hash: 'h', sequence: 1 }]);
    expect(store.path).toBe(join(stores.dir(), 'deep', 'er', 'state.sqlite'));
  });

  it('creates the folder for the user alone, and the database and its log files readable by the user only', async () => {
    const folder = join(stores.dir(), 'private');
    const store = open(join(folder, 'state.sqlite'));
    await store.putProjects('p1', [
      { projectId: 'a', hash: 'h', sequence: 1, snapshot: { id: 'a', name: 'Falcon' } },
    ]);

    const modeOf = (path: string) => statSync(path).mode & 0o777;
    expect(modeOf(folder)).toBe(0o700);
    for (const file of readdirSync(folder)) expect([file, modeOf(join(folder, file))]).toEqual([file, 0o600]);
    expect(readdirSync(folder)).toContain('state.sqlite-wal');
  });

  it('makes a database an older version left readable by others readable by the user only, and says so', async () => {
    const path = join(stores.dir(), 'old.sqlite');
    const old = open(path);
    await old.putProjects('p1', [{ projectId: 'a', hash: 'h', sequence: 1, snapshot: { id: 'a' } }]);
    old.close();
    chmodSync(path, 0o644);

    const reopened = open(path);

    expect(reopened.tightened).toEqual([path]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect((await reopened.getProjects('p1', ['a'])).get('a')?.hash).toBe('h');
    expect(open(path).tightened).toEqual([]);
  });

  it('names the file when it is not a database', () => {
    const path = join(stores.dir(), 'not-a-db.sqlite');
    writeFileSync(path, 'this is plain text, not SQLite, and long enough to have a header '.repeat(10));

    expect(() => open(path)).toThrow(StateDatabaseError);
    expect(() => open(path)).toThrow(/Cannot open the state database .*not-a-db\.sqlite/);
  });
});

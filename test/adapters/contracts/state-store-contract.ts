/**
 * What every StateStore adapter must do with project states and the outbox / event log, run against
 * each real store (DynamoDB Local, SQLite) by its test file.
 */
import { describe, expect, it } from 'vitest';
import type { PendingChange, StateStore, StoredProject } from '../../../shared/core/ports.js';
import {
  allListed,
  allOf,
  allRecorded,
  pendingChange,
  snapshotOf,
  trickyProjectIds,
} from './recorded-changes.js';

const T0 = '2026-11-27T10:00:00.000Z';
const T1 = '2026-11-27T10:05:00.000Z';
const T2 = '2026-11-27T10:10:00.000Z';

let processCount = 0;
/** A process id of its own per test, so tests sharing a table never see each other's items. */
function freshProcessId(): string {
  processCount++;
  return `contract-${processCount}-${Date.now()}`;
}

/** The recorded view of a change: the event as given, the state as the event says. */
function asRecorded(change: PendingChange, recordedAt: string) {
  const { projectId, hash, sequence } = change.state;
  const deleted = change.event.type.endsWith('.deleted');
  const snapshot = deleted || change.event.data.truncated ? {} : { snapshot: change.event.data.project };
  return {
    event: change.event,
    state: { projectId, hash, sequence, ...snapshot, ...(deleted ? { deleted: true } : {}) },
    recordedAt,
  };
}

export function describeStateStoreContract(name: string, openStore: () => StateStore): void {
  describe(`${name}: project states`, () => {
    it('reads back sequence, snapshot and deleted mark as stored, and nothing for unknown ids', async () => {
      const store = openStore();
      const processId = freshProcessId();
      const projects: StoredProject[] = [
        { projectId: 'live', hash: 'h-live', sequence: 3, snapshot: snapshotOf('live', 'LOI') },
        { projectId: 'new', hash: 'h-new', sequence: 0, snapshot: snapshotOf('new', 'Sourcing') },
        { projectId: 'gone', hash: 'h-gone', sequence: 7, deleted: true },
      ];

      await store.putProjects(processId, projects);
      const read = await store.getProjects(processId, ['live', 'new', 'gone', 'unknown']);

      expect([...read.keys()].sort()).toEqual(['gone', 'live', 'new']);
      for (const project of projects) expect(read.get(project.projectId)).toEqual(project);
    });

    it('keeps the sequence of a deleted project, and drops the mark when the project comes back', async () => {
      const store = openStore();
      const processId = freshProcessId();
      await store.putProjects(processId, [{ projectId: 'p', hash: 'h1', sequence: 4, deleted: true }]);

      const tombstone = (await store.getProjects(processId, ['p'])).get('p');
      const listed = await allListed(store, processId);
      await store.putProjects(processId, [
        { projectId: 'p', hash: 'h2', sequence: 5, snapshot: snapshotOf('p', 'back') },
      ]);

      expect(tombstone).toEqual({ projectId: 'p', hash: 'h1', sequence: 4, deleted: true });
      expect(listed).toEqual([tombstone]);
      expect((await store.getProjects(processId, ['p'])).get('p')).toEqual({
        projectId: 'p',
        hash: 'h2',
        sequence: 5,
        snapshot: snapshotOf('p', 'back'),
      });
    });

    it('stores, finds and lists long, hash-like, non-ASCII and number-like ids as they are', async () => {
      const store = openStore();
      const processId = freshProcessId();
      const ids = trickyProjectIds();
      const projects: StoredProject[] = ids.map((projectId, n) => ({
        projectId,
        hash: `h-${n}`,
        sequence: n + 1,
        snapshot: snapshotOf(projectId, `stage-${n}`),
      }));

      await store.putProjects(processId, projects);
      const read = await store.getProjects(processId, ids);
      const listed = await allListed(store, processId);

      expect(read.size).toBe(ids.length);
      for (const project of projects) expect(read.get(project.projectId)).toEqual(project);
      expect(listed.map((project) => project.projectId).sort()).toEqual([...ids].sort());
      expect(new Set(listed.map((project) => project.hash)).size).toBe(ids.length);
    });
  });

  describe(`${name}: outbox and event log`, () => {
    it('gives back every change as recorded, oldest first and each project in sequence order', async () => {
      const store = openStore();
      const processId = freshProcessId();
      const options = { processId };
      const first = [
        pendingChange('created', 'c', 1, options),
        pendingChange('updated', 'a', 2, { ...options, truncated: true }),
        pendingChange('updated', 'b', 6, options),
        pendingChange('updated', 'b', 5, options),
      ];
      const second = [
        pendingChange('deleted', 'a', 3, options),
        pendingChange('updated', 'c', 2, { ...options, truncated: true }),
      ];
      await store.recordChanges(processId, first, new Date(T0));
      await store.recordChanges(processId, second, new Date(T1));

      const recorded = await allRecorded(store, processId, { since: T0, until: T2 });

      expect(recorded.map((change) => change.recordedAt)).toEqual([T0, T0, T0, T0, T1, T1]);
      expect(
        recorded.slice(0, 4).map((change) => `${change.state.projectId}${change.state.sequence}`),
      ).toEqual(['a2', 'b5', 'b6', 'c1']);
      const expected = [first[1], first[3], first[2], first[0], ...second].map((change, n) =>
        asRecorded(change as PendingChange, n < 4 ? T0 : T1),
      );
      expect(recorded).toEqual(expected);
      expect(recorded[0]?.state).toEqual({ projectId: 'a', hash: first[1]?.state.hash, sequence: 2 });
      expect(recorded[4]?.state).toEqual({
        projectId: 'a',
        hash: second[0]?.state.hash,
        sequence: 3,
        deleted: true,
      });
      expect(recorded[3]?.state.snapshot).toEqual(first[0]?.state.snapshot);
    });

    it('leaves out changes recorded before `since` or at or after `until`', async () => {
      const store = openStore();
      const processId = freshProcessId();
      for (const [n, at] of [T0, T1, T2].entries()) {
        await store.recordChanges(
          processId,
          [pendingChange('updated', 'p', n + 1, { processId })],
          new Date(at),
        );
      }

      const middle = await allRecorded(store, processId, { since: T1, until: T2 });
      const fromFirst = await allRecorded(store, processId, { since: T0 });
      const justAfter = await allRecorded(store, processId, { since: '2026-11-27T10:00:00.001Z' });

      expect(middle.map((change) => change.state.sequence)).toEqual([2]);
      expect(fromFirst.map((change) => change.state.sequence)).toEqual([1, 2, 3]);
      expect(justAfter.map((change) => change.state.sequence)).toEqual([2, 3]);
    });

    it('reads a range written with an offset or without milliseconds as the instants it names', async () => {
      const store = openStore();
      const processId = freshProcessId();
      await store.recordChanges(processId, [pendingChange('created', 'p', 1, { processId })], new Date(T0));
      await store.recordChanges(processId, [pendingChange('updated', 'p', 2, { processId })], new Date(T1));

      const withOffset = await allRecorded(store, processId, {
        since: '2026-11-27T12:00:00+02:00',
        until: '2026-11-27T10:05:00Z',
      });

      expect(withOffset.map((change) => change.state.sequence)).toEqual([1]);
      await expect(allRecorded(store, processId, { since: 'last week' })).rejects.toThrow(/ISO-8601 instant/);
    });

    it("keeps one process's event log apart from another's", async () => {
      const store = openStore();
      const processId = freshProcessId();
      const other = freshProcessId();
      await store.recordChanges(processId, [pendingChange('created', 'p', 1, { processId })], new Date(T0));

      expect(await allRecorded(store, other, { since: T0 })).toEqual([]);
      expect(await allRecorded(store, processId, { since: T0 })).toHaveLength(1);
    });

    it('records and gives back changes of long, hash-like, non-ASCII and number-like ids', async () => {
      const store = openStore();
      const processId = freshProcessId();
      const changes = trickyProjectIds().flatMap((projectId) => [
        pendingChange('created', projectId, 1, { processId }),
        pendingChange('deleted', projectId, 2, { processId }),
      ]);

      await store.recordChanges(processId, changes, new Date(T0));
      const recorded = await allRecorded(store, processId, { since: T0 });

      expect(recorded).toHaveLength(changes.length);
      const byEventId = new Map(recorded.map((change) => [change.event.id, change]));
      for (const change of changes) expect(byEventId.get(change.event.id)).toEqual(asRecorded(change, T0));
      for (const projectId of trickyProjectIds()) {
        const ofProject = recorded.filter((change) => change.state.projectId === projectId);
        expect(ofProject.map((change) => change.event.sequence)).toEqual([
          '00000000000000000001',
          '00000000000000000002',
        ]);
      }
    });
  });

  describe(`${name}: quarantine`, () => {
    it('keeps set-aside projects with reason, since and body, says which kept a body, updates them in place and lets them go', async () => {
      const store = openStore();
      const processId = freshProcessId();
      const [longId = 'x'] = trickyProjectIds();
      const deep = { projectId: 'deep', reason: 'nested deeper than 64 levels', since: T0 };
      const kept = { projectId: longId, reason: 'refused', since: T0, body: { id: longId, name: 'Falcon' } };

      await store.quarantine(processId, [deep, kept]);
      await store.quarantine(processId, [{ ...deep, reason: 'still too deep' }]);

      const { body: _, ...withoutBody } = kept;
      const keptEntry = { ...withoutBody, kept: true };
      const byId = (a: { projectId: string }, b: { projectId: string }) =>
        a.projectId.localeCompare(b.projectId);
      const listed = await allOf(store.listQuarantine(processId));
      expect(listed.sort(byId)).toEqual(
        [{ ...deep, reason: 'still too deep', kept: false }, keptEntry].sort(byId),
      );
      expect(await allOf(store.keptInQuarantine(processId))).toEqual([kept]);
      await store.releaseFromQuarantine(processId, ['deep', 'never-quarantined']);
      expect(await allOf(store.listQuarantine(processId))).toEqual([keptEntry]);
      await store.releaseFromQuarantine(processId, [longId]);
      expect(await allOf(store.listQuarantine(processId))).toEqual([]);
      expect(await allOf(store.keptInQuarantine(processId))).toEqual([]);
    });

    it('lists entries without their kept projects, and hands those out about a megabyte a page, released as they go', async () => {
      const store = openStore();
      const processId = freshProcessId();
      const large = (n: number) => ({
        projectId: `large-${String(n).padStart(2, '0')}`,
        reason: 'refused by the transport',
        since: T0,
        body: { id: `large-${n}`, notes: 'n'.repeat(100_000) },
      });
      const entries = Array.from({ length: 30 }, (_, n) => large(n));
      await store.quarantine(processId, [
        ...entries,
        { projectId: 'no-body', reason: 'too deep', since: T1 },
      ]);

      const listed = await allOf(store.listQuarantine(processId));
      expect(listed).toHaveLength(31);
      expect(JSON.stringify(listed).length).toBeLessThan(5_000);

      const retried: string[] = [];
      let pages = 0;
      for await (const page of store.keptInQuarantine(processId)) {
        pages++;
        expect(JSON.stringify(page).length).toBeLessThan(1_200_000);
        retried.push(...page.map((entry) => entry.projectId));
        // What a run does with each page it retries: the processed projects leave quarantine.
        await store.releaseFromQuarantine(
          processId,
          page.map((entry) => entry.projectId),
        );
      }
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(retried.sort()).toEqual(entries.map((entry) => entry.projectId));
      expect(await allOf(store.listQuarantine(processId))).toEqual([
        { projectId: 'no-body', reason: 'too deep', since: T1, kept: false },
      ]);
    });

    it('tells a number id from a text id of the same spelling once it has stored one', async () => {
      const store = openStore();
      const processId = freshProcessId();

      await store.putProjects(processId, [
        { projectId: '7', hash: 'h', sequence: 1, numericId: true },
        { projectId: '8', hash: 'h', sequence: 1, numericId: false },
        { projectId: '9', hash: 'h', sequence: 1 },
      ]);

      const stored = await store.getProjects(processId, ['7', '8', '9']);
      expect(['7', '8', '9'].map((id) => stored.get(id)?.numericId)).toEqual([true, false, undefined]);
    });
  });
}

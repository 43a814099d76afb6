/**
 * The event stream as a consumer lives through it: ids unique per change and stable across re-publishes,
 * sequences increasing per project across its whole life, and nothing announced ever forgotten.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../shared/core/change-event.js';
import { pollProcess } from '../../../shared/core/poll-process.js';
import { reconcileProcess } from '../../../shared/core/reconcile-process.js';
import { replayEvents } from '../../../shared/core/replay-events.js';
import {
  type FakeProject,
  fakePorts,
  type InMemoryStateStore,
  TEST_SETTINGS,
} from '../../fakes/in-memory-ports.js';

const PROCESS = 'process-1';

describe('the event contract', () => {
  let { clock, source, store, publisher } = fakePorts();
  const deps = () => ({ source, store, processes: store, publisher, clock });
  const poll = () => pollProcess(deps(), TEST_SETTINGS, PROCESS);
  const reconcile = () => reconcileProcess(deps(), TEST_SETTINGS, PROCESS);
  const put = (id: string, fields: Record<string, string>) =>
    source.put({
      id,
      name: `Project ${id}`,
      ...fields,
      updatedAt: clock.advance(1).toISOString(),
    } as FakeProject);
  const later = () => clock.advance(60);
  const eventsOf = (id: string) => publisher.published.filter((event) => event.subject === id);

  beforeEach(async () => {
    ({ clock, source, store, publisher } = fakePorts());
    put('a', { stage: 'LOI' });
    put('b', { stage: 'LOI' });
    later();
    await poll();
  });

  it('gives A → B → A → B four distinct ids, in increasing sequence', async () => {
    for (const stage of ['Due diligence', 'LOI', 'Due diligence', 'LOI']) {
      put('a', { stage });
      later();
      await poll();
    }

    const events = eventsOf('a');
    expect(events.map((event) => event.data.changes[0]?.after)).toEqual([
      'Due diligence',
      'LOI',
      'Due diligence',
      'LOI',
    ]);
    expect(new Set(events.map((event) => event.id)).size).toBe(4);
    expect(events.map((event) => event.sequence)).toEqual([
      '00000000000000000001',
      '00000000000000000002',
      '00000000000000000003',
      '00000000000000000004',
    ]);
  });

  it('numbers one project across created → updated → deleted → created again', async () => {
    put('c', { stage: 'LOI' });
    later();
    await poll();
    put('c', { stage: 'Signing' });
    later();
    await poll();
    source.projects.delete('c');
    later();
    await reconcile();
    put('c', { stage: 'Sourcing' });
    later();
    await poll();

    expect(eventsOf('c').map((event) => [event.type.split('.').at(-1), event.sequence.slice(-1)])).toEqual([
      ['created', '1'],
      ['updated', '2'],
      ['deleted', '3'],
      ['created', '4'],
    ]);
    expect(eventsOf('c').map((event) => event.source)).toEqual(
      Array(4).fill('https://api.app-eu.midaxo.com/processes/process-1/projects/c'),
    );
  });

  it('republishes a change with the same id when the run died between publishing and recording', async () => {
    put('a', { stage: 'Signing' });
    later();
    store.failPutOnCall = 1 + countPuts(store);
    await expect(poll()).rejects.toThrow('store unavailable');
    const [first] = eventsOf('a');

    later();
    await poll();

    const again = eventsOf('a');
    expect(again).toHaveLength(2);
    expect(again[1]).toEqual(first);
    expect(store.projects.get(`${PROCESS}/a`)?.sequence).toBe(1);
  });

  it('announces the deletion of a project whose creation was announced by a run that died before recording it', async () => {
    put('new', { stage: 'LOI' });
    later();
    store.failPutOnCall = 1 + countPuts(store);
    await expect(poll()).rejects.toThrow('store unavailable');
    source.projects.delete('new');
    later();

    await poll();
    await reconcile();

    expect(eventsOf('new').map((event) => event.type)).toEqual([
      'com.midaxo.project.created',
      'com.midaxo.project.created',
      'com.midaxo.project.deleted',
    ]);
    expect(eventsOf('new')[0]?.id).toBe(eventsOf('new')[1]?.id);
  });

  it('replays a time range with identical events, in sequence order per project, changing no state', async () => {
    const since = later().toISOString();
    for (const stage of ['Signing', 'Closing']) {
      put('a', { stage });
      put('b', { stage });
      later();
      await poll();
    }
    const original = publisher.published.slice(-4);
    const stateBefore = structuredClone([...store.projects]);
    publisher.published.length = 0;

    const summary = await replayEvents({ store, publisher }, PROCESS, { since });

    expect(summary).toMatchObject({ mode: 'replay', published: 4, complete: true });
    expect(sortById(publisher.published)).toEqual(sortById(original));
    for (const id of ['a', 'b']) {
      const sequences = eventsOf(id).map((event) => event.sequence);
      expect(sequences).toEqual([...sequences].sort());
    }
    expect([...store.projects]).toEqual(stateBefore);
  });

  it('replays nothing outside the range', async () => {
    put('a', { stage: 'Signing' });
    later();
    await poll();
    const until = later().toISOString();
    publisher.published.length = 0;

    await replayEvents({ store, publisher }, PROCESS, { since: until });

    expect(publisher.published).toEqual([]);
  });

  it('whatever writes fail, ends with every project announced once per state it was seen in, numbered without gaps (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
        async (failures) => {
          ({ clock, source, store, publisher } = fakePorts());
          put('a', { stage: 'LOI' });
          later();
          await poll();
          let lastStage = 'LOI';
          for (const [round, failAt] of failures.entries()) {
            lastStage = `stage-${round}`;
            put('a', { stage: lastStage });
            put(`p${round}`, { stage: 'new' });
            later();
            store.failPutOnCall = countPuts(store) + failAt;
            await poll().catch(() => undefined);
            store.failPutOnCall = undefined;
          }
          later();
          await poll();

          const byId = new Map<string, string>();
          for (const event of publisher.published) {
            const seen = byId.get(event.id);
            // An id published again always carries exactly the same event.
            if (seen !== undefined) expect(JSON.stringify(event)).toBe(seen);
            byId.set(event.id, JSON.stringify(event));
          }
          const distinct = [...byId.values()].map((text) => JSON.parse(text) as ChangeEvent);
          for (const round of failures.keys()) {
            // A project created while writes failed is announced exactly once, never lost.
            const created = distinct.filter((event) => event.subject === `p${round}`);
            expect(created.map((event) => [event.type, event.sequence])).toEqual([
              ['com.midaxo.project.created', '00000000000000000001'],
            ]);
          }
          const ofA = distinct.filter((event) => event.subject === 'a');
          expect(ofA.map((event) => Number(event.sequence))).toEqual(ofA.map((_, index) => index + 1));
          expect(ofA.at(-1)?.data.project?.stage).toBe(lastStage);
        },
      ),
      { numRuns: 60 },
    );
  });
});

function sortById(events: readonly ChangeEvent[]): ChangeEvent[] {
  return [...events].sort((x, y) => x.id.localeCompare(y.id));
}

/** The put calls made so far; the fake fails the one numbered `failPutOnCall`. */
function countPuts(store: InMemoryStateStore): number {
  return (store as unknown as { putCalls: number }).putCalls;
}

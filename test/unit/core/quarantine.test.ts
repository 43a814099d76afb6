/**
 * One project that cannot be processed is set aside with its reason; every other change of the page and
 * the process is notified in the same run, the watermark moves, and the project leaves quarantine by
 * itself once it can be processed, its change diffed against the last remembered state.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../shared/core/json.js';
import { pollProcess } from '../../../shared/core/poll-process.js';
import { type FakeProject, fakePorts, TEST_SETTINGS } from '../../fakes/in-memory-ports.js';

const PROCESS = 'process-1';

function nested(depth: number): JsonObject {
  let value: JsonObject = { leaf: true };
  for (let level = 1; level < depth; level++) value = { inner: value };
  return value;
}

describe('quarantine', () => {
  let { clock, source, store, publisher } = fakePorts(3);
  const poll = () =>
    pollProcess({ source, store, processes: store, publisher, clock }, TEST_SETTINGS, PROCESS);
  const put = (id: string, fields: JsonObject) =>
    source.put({
      id,
      name: `Project ${id}`,
      ...fields,
      updatedAt: clock.advance(1).toISOString(),
    } as FakeProject);
  const later = () => clock.advance(60);
  const quarantined = () => [...(store.quarantines.get(PROCESS)?.values() ?? [])];

  beforeEach(async () => {
    ({ clock, source, store, publisher } = fakePorts(3));
    for (const id of ['a', 'b', 'c']) put(id, { stage: 'LOI' });
    later();
    await poll();
  });

  it('sets a 3,500-level project aside and notifies every other change of the run, including a 2,000-character id', async () => {
    const longId = 'x'.repeat(2_000);
    put('a', { stage: 'Signing' });
    put('b', { stage: 'Signing', deep: nested(3_500) });
    put(longId, { stage: 'Sourcing' });
    put('c', { stage: 'Closing' });
    later();

    const summary = await poll();

    expect(summary).toMatchObject({
      complete: true,
      quarantined: 1,
      setAside: [{ projectId: 'b', reason: 'nested deeper than 64 levels' }],
    });
    expect(publisher.published.map((event) => event.subject).sort()).toEqual(['a', 'c', longId].sort());
    expect(quarantined()).toEqual([
      { projectId: 'b', reason: 'nested deeper than 64 levels', since: expect.any(String) },
    ]);
    expect(store.quarantineCounts.get(PROCESS)).toBe(1);
    expect(store.watermarks.get(PROCESS)).toBe(clock.now().toISOString());
  });

  it('takes a too-deep project out once it is listed in a shape it can process, diffing against its last state', async () => {
    put('b', { stage: 'Signing', deep: nested(100) });
    later();
    await poll();
    put('b', { stage: 'Closing', deep: nested(3) });
    later();

    const summary = await poll();

    const [event] = publisher.published;
    expect(event?.data.changes.map((change) => change.path)).toEqual(['/deep', '/stage']);
    expect(event?.data.changes.find((change) => change.path === '/stage')).toEqual({
      path: '/stage',
      before: 'LOI',
      after: 'Closing',
    });
    expect(quarantined()).toEqual([]);
    expect(summary.quarantined).toBeUndefined();
    expect(store.quarantineCounts.get(PROCESS)).toBe(0);
  });

  it('sets aside a project whose event the transport refuses as malformed, and retries it on the next run without a listing', async () => {
    put('a', { stage: 'Signing' });
    put('b', { stage: 'Signing' });
    publisher.malformedSubjects.add('b');
    later();

    const first = await poll();

    expect(first).toMatchObject({ complete: true, quarantined: 1 });
    expect(publisher.published.map((event) => event.subject)).toEqual(['a']);
    expect(quarantined()[0]).toMatchObject({ projectId: 'b', body: { stage: 'Signing' } });
    publisher.malformedSubjects.clear();
    later();

    const second = await poll();

    expect(source.requests.at(-1)?.window?.updatedAfter).toBeDefined();
    expect(publisher.published.map((event) => [event.subject, event.sequence.slice(-1)])).toEqual([
      ['a', '1'],
      ['b', '1'],
    ]);
    expect(second.quarantined).toBeUndefined();
  });

  it('counts a project retried from its kept body as a change, not as a project the listing returned', async () => {
    put('b', { stage: 'Signing' });
    publisher.malformedSubjects.add('b');
    later();
    await poll();
    // Past the overlap, so the next listing no longer returns b's edit.
    clock.advance(TEST_SETTINGS.overlapSeconds + 60);
    await poll();
    publisher.malformedSubjects.clear();
    clock.advance(TEST_SETTINGS.overlapSeconds + 60);

    const retried = await poll();

    expect(publisher.published.map((event) => event.subject)).toEqual(['b']);
    expect(retried).toMatchObject({ scanned: 0, updated: 1, published: 1 });
  });

  it('reads kept projects only while an entry holds one, so a project set aside for good costs no read per run', async () => {
    put('b', { stage: 'Signing', deep: nested(100) });
    later();
    await poll();
    later();
    await poll();
    later();
    await poll();

    expect(quarantined().map((entry) => entry.projectId)).toEqual(['b']);
    expect(store.keptReads).toBe(0);

    put('a', { stage: 'Signing' });
    publisher.malformedSubjects.add('a');
    later();
    await poll();
    // Listed again (the overlap) and refused again: a run never reads back what it set aside itself.
    clock.advance(TEST_SETTINGS.overlapSeconds + 60);
    await poll();
    expect(store.keptReads).toBe(0);
    publisher.malformedSubjects.clear();
    clock.advance(TEST_SETTINGS.overlapSeconds + 60);

    const retried = await poll();

    expect(retried).toMatchObject({ scanned: 0, published: 1 });
    expect(store.keptReads).toBe(1);
    later();
    await poll();
    expect(store.keptReads).toBe(1);
  });

  it('reads kept projects when the store cannot tell whether an entry holds one (written before entries said)', async () => {
    put('b', { stage: 'Signing', deep: nested(100) });
    later();
    await poll();
    const listQuarantine = store.listQuarantine.bind(store);
    store.listQuarantine = async function* (processId) {
      for await (const page of listQuarantine(processId)) yield page.map(({ kept: _, ...entry }) => entry);
    };
    clock.advance(TEST_SETTINGS.overlapSeconds + 60);
    await poll();
    clock.advance(TEST_SETTINGS.overlapSeconds + 60);
    await poll();

    // The first of the two runs listed b again; the second did not and looked for a kept body.
    expect(store.keptReads).toBe(1);
  });

  it('keeps the number 1 and the text "1" apart: the second kind is set aside, never merged', async () => {
    source.put({ id: '7', name: 'Text seven', updatedAt: clock.advance(1).toISOString() } as FakeProject);
    later();
    await poll();
    const listing = source.fetchPage.bind(source);
    source.fetchPage = async (request) => {
      const page = await listing(request);
      return { ...page, projects: page.projects.map((p) => (p.id === '7' ? { ...p, numericId: true } : p)) };
    };
    put('7', { name: 'Number seven' });
    later();
    publisher.published.length = 0;

    await poll();

    expect(publisher.published).toEqual([]);
    expect(quarantined()[0]).toMatchObject({
      projectId: '7',
      reason: expect.stringContaining('came as a number'),
    });
  });

  it('sets aside an item the listing could not use, by its stand-in id', async () => {
    const listing = source.fetchPage.bind(source);
    source.fetchPage = async (request) => {
      const page = await listing(request);
      return {
        ...page,
        projects: [...page.projects, { id: '#item:abc', body: {}, problem: 'has no usable id' }],
      };
    };
    put('a', { stage: 'Signing' });
    later();

    const summary = await poll();

    expect(summary).toMatchObject({ complete: true, quarantined: 1 });
    expect(publisher.published.map((event) => event.subject)).toEqual(['a']);
    expect(quarantined()).toEqual([
      { projectId: '#item:abc', reason: 'has no usable id', since: expect.any(String) },
    ]);
  });
});

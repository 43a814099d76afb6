import { beforeEach, describe, expect, it } from 'vitest';
import { type PollSettings, pollProcess } from '../../../shared/core/poll-process.js';
import {
  type FakeProject,
  fakePorts,
  InMemoryStateStore,
  TEST_SETTINGS,
} from '../../fakes/in-memory-ports.js';

const PROCESS = 'process-1';
const settings: PollSettings = TEST_SETTINGS;

function project(id: string, updatedAt: Date, fields: Record<string, string> = {}): FakeProject {
  return { id, name: `Project ${id}`, stage: 'Screening', ...fields, updatedAt: updatedAt.toISOString() };
}

describe('pollProcess', () => {
  let { clock, source, store, publisher } = fakePorts();
  const run = (overrides: Partial<PollSettings> = {}) =>
    pollProcess(
      { source, store, processes: store, publisher, clock },
      { ...settings, ...overrides },
      PROCESS,
    );

  beforeEach(() => {
    ({ clock, source, store, publisher } = fakePorts());
  });

  it('records a silent baseline on the first run and sets the watermark to the run start', async () => {
    source.put(
      project('a', clock.advance(-60)),
      project('b', clock.advance(10)),
      project('c', clock.advance(10)),
    );
    clock.advance(60);

    const summary = await run();

    expect(publisher.published).toEqual([]);
    expect(summary).toMatchObject({
      mode: 'baseline',
      scanned: 3,
      created: 3,
      published: 0,
      pages: 2,
      complete: true,
    });
    expect(store.projects.size).toBe(3);
    expect(store.watermarks.get(PROCESS)).toBe(clock.now().toISOString());
  });

  it('publishes created for every project on the first run when asked to', async () => {
    source.put(project('a', clock.advance(-60)), project('b', clock.advance(1)));
    clock.advance(60);

    await run({ publishBaseline: true });

    expect(publisher.published.map((event) => [event.type, event.subject])).toEqual([
      ['com.midaxo.project.created', 'a'],
      ['com.midaxo.project.created', 'b'],
    ]);
  });

  it('publishes created for a project that appeared since the last run', async () => {
    source.put(project('a', clock.advance(-60)));
    clock.advance(60);
    await run();
    source.put(project('b', clock.advance(30), { stage: 'LOI' }));
    clock.advance(300);

    const summary = await run();

    expect(summary).toMatchObject({ mode: 'incremental', created: 1, updated: 0, published: 1 });
    const [event] = publisher.published;
    expect(event).toMatchObject({
      type: 'com.midaxo.project.created',
      subject: 'b',
      data: { projectId: 'b' },
    });
    expect(event?.data.changes).toContainEqual({ path: '/stage', after: 'LOI' });
  });

  it('publishes updated with the field-level diff against the stored snapshot', async () => {
    source.put(project('a', clock.advance(-60), { stage: 'Screening', owner: 'Ann' }));
    clock.advance(60);
    await run();
    source.put(project('a', clock.advance(30), { stage: 'LOI', owner: 'Ann' }));
    clock.advance(300);

    await run();

    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      type: 'com.midaxo.project.updated',
      subject: 'a',
      data: { processId: PROCESS, changes: [{ path: '/stage', before: 'Screening', after: 'LOI' }] },
    });
    expect(publisher.published[0]?.data.project).toMatchObject({ stage: 'LOI' });
  });

  it('publishes nothing when only updatedAt changed', async () => {
    source.put(project('a', clock.advance(-60)));
    clock.advance(60);
    await run();
    source.put(project('a', clock.advance(30)));
    clock.advance(300);

    const summary = await run();

    expect(publisher.published).toEqual([]);
    expect(summary).toMatchObject({ scanned: 1, unchanged: 1, updated: 0 });
  });

  it('does not notify twice for a change read again in the overlap', async () => {
    source.put(project('a', clock.advance(-60)));
    clock.advance(60);
    await run();
    source.put(project('a', clock.advance(10), { stage: 'LOI' }));
    clock.advance(20);
    await run();
    clock.advance(60);

    const summary = await run();

    expect(source.requests.at(-1)?.window?.updatedAfter).toBeDefined();
    expect(summary.scanned).toBe(1);
    expect(publisher.published).toHaveLength(1);
  });

  it('asks only for the window since the watermark less the overlap, pinned at the run start', async () => {
    source.put(project('a', clock.advance(-60)));
    clock.advance(60);
    await run();
    const firstWatermark = store.watermarks.get(PROCESS);
    clock.advance(300);

    await run();

    expect(source.requests.at(-1)?.window).toEqual({
      updatedAfter: new Date(Date.parse(firstWatermark ?? '') - 300_000).toISOString(),
      updatedBefore: clock.now().toISOString(),
    });
  });

  it('leaves the watermark unchanged when publishing fails mid-run, and the re-run publishes what was missing', async () => {
    source.put(
      project('a', clock.advance(-60)),
      project('b', clock.advance(1)),
      project('c', clock.advance(1)),
    );
    clock.advance(60);
    await run();
    const watermarkBefore = store.watermarks.get(PROCESS);
    for (const id of ['a', 'b', 'c']) source.put(project(id, clock.advance(1), { stage: 'LOI' }));
    clock.advance(60);
    publisher.failOnCall = 2;

    await expect(run()).rejects.toThrow('topic unavailable');

    expect(store.watermarks.get(PROCESS)).toBe(watermarkBefore);
    expect(publisher.published.map((event) => event.subject)).toEqual(['a', 'b']);
    publisher.failOnCall = undefined;
    clock.advance(60);

    const summary = await run();

    // The outbox held c's recorded event: the re-run finishes its delivery first, then finds c unchanged.
    expect(publisher.published.map((event) => event.subject)).toEqual(['a', 'b', 'c']);
    expect(summary).toMatchObject({ recovered: 1, updated: 0, unchanged: 3, complete: true });
    expect(store.watermarks.get(PROCESS)).toBe(clock.now().toISOString());
  });

  it('records the events a partly failed publish delivered, so the re-run publishes only the rest', async () => {
    source.put(project('a', clock.advance(-60)), project('b', clock.advance(1)));
    clock.advance(60);
    await run();
    for (const id of ['a', 'b']) source.put(project(id, clock.advance(1), { stage: 'LOI' }));
    clock.advance(60);
    publisher.refusedSubjects.add('b');

    await expect(run()).rejects.toThrow('some events refused');
    publisher.refusedSubjects.clear();
    clock.advance(60);
    await run();

    expect(publisher.published.map((event) => event.subject)).toEqual(['a', 'b']);
  });

  it('keeps the watermark when the listing fails half-way', async () => {
    source.put(
      project('a', clock.advance(-60)),
      project('b', clock.advance(1)),
      project('c', clock.advance(1)),
    );
    clock.advance(60);
    source.failOnRequest = 2;

    await expect(run()).rejects.toThrow('listing failed');

    expect(store.watermarks.has(PROCESS)).toBe(false);
  });

  it('publishes again after a failed save, since nothing proves the change was recorded', async () => {
    source.put(project('a', clock.advance(-60)));
    clock.advance(60);
    await run();
    source.put(project('a', clock.advance(1), { stage: 'LOI' }));
    clock.advance(60);
    store.failPutOnCall = 2;

    await expect(run()).rejects.toThrow('store unavailable');
    clock.advance(60);
    await run();

    const ids = publisher.published.map((event) => event.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });

  it('gives the same change the same event id, so consumers can de-duplicate', async () => {
    source.put(project('a', clock.advance(-60)));
    clock.advance(60);
    await run({ publishBaseline: true });
    const otherStore = new InMemoryStateStore();

    await pollProcess(
      { source, store: otherStore, processes: otherStore, publisher, clock },
      { ...settings, publishBaseline: true },
      PROCESS,
    );

    const [first, second] = publisher.published;
    expect(first?.id).toBe(second?.id);
  });
});

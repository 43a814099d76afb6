import { beforeEach, describe, expect, it } from 'vitest';
import type { PollSettings } from '../../../shared/core/poll-process.js';
import { pollProcess } from '../../../shared/core/poll-process.js';
import { reconcileProcess } from '../../../shared/core/reconcile-process.js';
import { type FakeProject, fakePorts, TEST_SETTINGS } from '../../fakes/in-memory-ports.js';

const PROCESS = 'process-1';
const settings: PollSettings = TEST_SETTINGS;

describe('reconcileProcess', () => {
  let { clock, source, store, publisher } = fakePorts();
  const deps = () => ({ source, store, processes: store, publisher, clock });
  const project = (id: string, stage = 'Screening'): FakeProject => ({
    id,
    name: `Project ${id}`,
    stage,
    updatedAt: clock.advance(1).toISOString(),
  });

  beforeEach(async () => {
    ({ clock, source, store, publisher } = fakePorts());
    source.put(project('a'), project('b'), project('c'), project('d'));
    clock.advance(60);
    await pollProcess(deps(), settings, PROCESS);
  });

  it('publishes deleted with the last known snapshot for a project no longer listed, and remembers it as deleted', async () => {
    source.projects.delete('c');
    clock.advance(3600);

    const summary = await reconcileProcess(deps(), settings, PROCESS);

    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      type: 'com.midaxo.project.deleted',
      subject: 'c',
      data: { projectId: 'c', project: { id: 'c', name: 'Project c' } },
    });
    expect(summary).toMatchObject({ mode: 'reconcile', deleted: 1, complete: true });
    expect(store.projects.get(`${PROCESS}/c`)).toMatchObject({ deleted: true, sequence: 1 });
    expect(store.projects.get(`${PROCESS}/c`)?.snapshot).toBeUndefined();
  });

  it('infers no deletion when the listing fails half-way', async () => {
    source.projects.delete('d');
    source.failOnRequest = source.requests.length + 2;

    await expect(reconcileProcess(deps(), settings, PROCESS)).rejects.toThrow('listing failed');

    expect(publisher.published).toEqual([]);
    expect(store.projects.size).toBe(4);
  });

  it('publishes changes it comes across on the way, once', async () => {
    source.put(project('b', 'LOI'));
    clock.advance(60);

    await reconcileProcess(deps(), settings, PROCESS);
    await pollProcess(deps(), settings, PROCESS);

    expect(publisher.published.map((event) => [event.type, event.subject])).toEqual([
      ['com.midaxo.project.updated', 'b'],
    ]);
  });

  it('remembers only the deletions a partly failed publish delivered, and announces the rest next time', async () => {
    source.projects.delete('a');
    source.projects.delete('b');
    publisher.refusedSubjects.add('b');

    await expect(reconcileProcess(deps(), settings, PROCESS)).rejects.toThrow('some events refused');

    const deleted = (id: string) => store.projects.get(`${PROCESS}/${id}`)?.deleted === true;
    expect([deleted('a'), deleted('b')]).toEqual([true, false]);
    publisher.refusedSubjects.clear();
    await reconcileProcess(deps(), settings, PROCESS);
    expect(publisher.published.map((event) => event.subject)).toEqual(['a', 'b']);
  });

  it('does not publish a deletion twice', async () => {
    source.projects.delete('a');

    await reconcileProcess(deps(), settings, PROCESS);
    await reconcileProcess(deps(), settings, PROCESS);

    expect(publisher.published.map((event) => event.type)).toEqual(['com.midaxo.project.deleted']);
  });

  it('re-lists what changed during the sweep, so a project moved behind the cursor is not taken for deleted', async () => {
    const listing = source.fetchPage.bind(source);
    source.fetchPage = async (request) => {
      const page = await listing(request);
      const fullListing = request.window?.updatedAfter === undefined;
      return fullListing ? { ...page, projects: page.projects.filter((p) => p.id !== 'b') } : page;
    };
    source.put(project('b', 'LOI'));

    await reconcileProcess(deps(), settings, PROCESS);

    expect(publisher.published.map((event) => event.type)).toEqual(['com.midaxo.project.updated']);
    expect(store.projects.has(`${PROCESS}/b`)).toBe(true);
  });
});

describe('reconcileProcess: the accidental-deletion guard', () => {
  let { clock, source, store, publisher } = fakePorts(10);
  const deps = () => ({ source, store, processes: store, publisher, clock });
  const ids = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const deletedSubjects = () =>
    publisher.published.filter((event) => event.type === 'com.midaxo.project.deleted').map((e) => e.subject);

  beforeEach(async () => {
    ({ clock, source, store, publisher } = fakePorts(10));
    for (const id of ids) source.put({ id, name: id, updatedAt: clock.advance(1).toISOString() });
    clock.advance(60);
    await pollProcess(deps(), settings, PROCESS);
  });

  const removeFirst = (count: number) => {
    for (const id of ids.slice(0, count)) source.projects.delete(id);
  };

  it('publishes 10 deletions of 40 projects, as many as the default lets through', async () => {
    removeFirst(10);

    const summary = await reconcileProcess(deps(), settings, PROCESS);

    expect(deletedSubjects()).toEqual(ids.slice(0, 10));
    expect(summary.deletionsHeld).toBeUndefined();
  });

  it('holds 11 deletions of 40 projects (over 10 and over 20 %), publishing none, until a confirmed sweep', async () => {
    removeFirst(11);

    const held = await reconcileProcess(deps(), settings, PROCESS);

    expect(held).toMatchObject({ complete: true, deleted: 0, published: 0, deletionsHeld: 11 });
    expect(publisher.published).toEqual([]);
    expect(store.projects.get(`${PROCESS}/p00`)?.deleted).toBeUndefined();
    const confirmed = await reconcileProcess(deps(), { ...settings, confirmDeletions: true }, PROCESS);
    expect(confirmed).toMatchObject({ deleted: 11 });
    expect(confirmed.deletionsHeld).toBeUndefined();
    expect(deletedSubjects()).toEqual(ids.slice(0, 11));
  });

  it('lets 11 deletions of 100 projects through: they are not over 20 % of them', async () => {
    for (let i = 40; i < 100; i++)
      source.put({ id: `q${i}`, name: 'more', updatedAt: clock.advance(1).toISOString() });
    clock.advance(60);
    await pollProcess(deps(), settings, PROCESS);
    removeFirst(11);

    const summary = await reconcileProcess(deps(), settings, PROCESS);

    expect(summary.deleted).toBe(11);
  });

  it('holds even one deletion when the listing returned nothing at all', async () => {
    const few = fakePorts(10);
    ({ clock, source, store, publisher } = few);
    source.put({ id: 'only', name: 'only', updatedAt: clock.advance(1).toISOString() });
    clock.advance(60);
    await pollProcess(deps(), settings, PROCESS);
    source.projects.clear();

    const summary = await reconcileProcess(deps(), settings, PROCESS);

    expect(summary).toMatchObject({ scanned: 0, deleted: 0, deletionsHeld: 1 });
    expect(publisher.published).toEqual([]);
  });

  it('lets held projects that are listed again leave the held set silently: an incident that ends publishes nothing', async () => {
    const listed = new Map(source.projects);
    source.projects.clear();
    expect((await reconcileProcess(deps(), settings, PROCESS)).deletionsHeld).toBe(40);

    for (const [id, body] of listed) source.projects.set(id, body);
    const after = await reconcileProcess(deps(), settings, PROCESS);

    expect(after).toMatchObject({ deleted: 0, created: 0, updated: 0, published: 0 });
    expect(after.deletionsHeld).toBeUndefined();
    expect(publisher.published).toEqual([]);
  });

  it('takes the limits from the settings: 0 and 0 hold any deletion', async () => {
    removeFirst(1);
    const strict = { ...settings, deletionGuard: { maxDeletions: 0, maxDeletionsPercent: 0 } };

    expect((await reconcileProcess(deps(), strict, PROCESS)).deletionsHeld).toBe(1);
    expect(publisher.published).toEqual([]);
  });
});

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

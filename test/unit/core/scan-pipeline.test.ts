import { beforeEach, describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../shared/core/change-event.js';
import { type PollDependencies, pollProcess } from '../../../shared/core/poll-process.js';
import type { PageRequest, ProjectPage, StoredProject } from '../../../shared/core/ports.js';
import { RunOutOfTimeError } from '../../../shared/core/run-out-of-time-error.js';
import {
  type FakeProject,
  InMemoryProjectSource,
  InMemoryStateStore,
  ManualClock,
  RecordingPublisher,
  TEST_SETTINGS,
} from '../../fakes/in-memory-ports.js';

const PROCESS = 'process-1';

/** Holds every putProjects until the test lets it through, to show what runs while a page is stored. */
class GatedStateStore extends InMemoryStateStore {
  readonly waiting: { states: readonly StoredProject[]; release: () => void }[] = [];

  override async putProjects(processId: string, projects: readonly StoredProject[]): Promise<void> {
    await new Promise<void>((release) => this.waiting.push({ states: projects, release }));
    await super.putProjects(processId, projects);
  }
}

/** Pages handed out as given, whatever the request: a listing in which a project can appear twice. */
class ScriptedSource {
  readonly requests: PageRequest[] = [];
  constructor(
    private readonly pages: readonly FakeProject[][],
    private readonly pageBytes?: number,
  ) {}

  async fetchPage(request: PageRequest): Promise<ProjectPage> {
    this.requests.push(request);
    const index = request.after === undefined ? 0 : Number(request.after.slice('page-'.length));
    const projects = this.pages[index] ?? [];
    return {
      projects: projects.map((body) => ({ id: body.id, body })),
      endCursor: index + 1 < this.pages.length ? `page-${index + 1}` : null,
      ...(this.pageBytes === undefined ? {} : { bytes: this.pageBytes }),
    };
  }
}

const until = async (condition: () => boolean) => {
  for (let turn = 0; turn < 1_000 && !condition(); turn++) await new Promise((r) => setImmediate(r));
  expect(condition()).toBe(true);
};

const subjectsOf = (events: readonly ChangeEvent[]) => events.map((event) => event.subject);

describe('scanning a listing as a pipeline', () => {
  let clock: ManualClock;
  let publisher: RecordingPublisher;
  const deps = (source: PollDependencies['source'], store: InMemoryStateStore): PollDependencies => ({
    source,
    store,
    processes: store,
    publisher,
    clock,
  });
  const project = (id: string, stage: string): FakeProject => ({
    id,
    stage,
    updatedAt: clock.now().toISOString(),
  });

  beforeEach(() => {
    clock = new ManualClock(new Date('2026-11-27T12:00:00.000Z'));
    publisher = new RecordingPublisher();
  });

  it("publishes the next page while the previous page's states are still being stored, and stores every page", async () => {
    const source = new InMemoryProjectSource(2);
    const store = new GatedStateStore(clock);
    source.put(project('a', 'LOI'), project('b', 'LOI'), project('c', 'LOI'), project('d', 'LOI'));
    clock.advance(60);

    const run = pollProcess(deps(source, store), { ...TEST_SETTINGS, publishBaseline: true }, PROCESS);

    await until(() => publisher.published.length === 4);
    expect(subjectsOf(publisher.published)).toEqual(['a', 'b', 'c', 'd']);
    expect(store.waiting[0]?.states.map((state) => state.projectId)).toEqual(['a', 'b']);
    expect(store.projects.size).toBe(0);
    for (let stored = 0; stored < 2; stored++) {
      await until(() => store.waiting.length > stored);
      store.waiting[stored]?.release();
    }

    await expect(run).resolves.toMatchObject({ complete: true, published: 4, pages: 2 });
    expect([...store.projects.keys()].sort()).toEqual(['a', 'b', 'c', 'd'].map((id) => `${PROCESS}/${id}`));
  });

  it('numbers a project listed on two pages of one run 1 then 2, though its first state was not yet stored', async () => {
    const source = new ScriptedSource([
      [project('a', 'LOI'), project('b', 'LOI')],
      [project('a', 'Signed'), project('c', 'LOI')],
    ]);
    const store = new GatedStateStore(clock);
    const run = pollProcess(deps(source, store), { ...TEST_SETTINGS, publishBaseline: true }, PROCESS);
    await until(() => publisher.published.length === 4);
    for (const put of [0, 1]) {
      await until(() => store.waiting.length > put);
      store.waiting[put]?.release();
    }
    await run;

    const ofA = publisher.published.filter((event) => event.subject === 'a');
    expect(ofA.map((event) => [event.type, Number(event.sequence), event.data.project?.stage])).toEqual([
      ['com.midaxo.project.created', 1, 'LOI'],
      ['com.midaxo.project.updated', 2, 'Signed'],
    ]);
    expect(ofA[1]?.data.changes).toEqual([{ path: '/stage', before: 'LOI', after: 'Signed' }]);
    expect(store.projects.get(`${PROCESS}/a`)).toMatchObject({ sequence: 2, snapshot: { stage: 'Signed' } });
  });

  it('resumes from the last page whose states were all stored when storing runs out of time, and loses nothing', async () => {
    const source = new InMemoryProjectSource(2);
    const store = new InMemoryStateStore(clock);
    source.put(...['a', 'b', 'c', 'd', 'e', 'f'].map((id) => project(id, 'LOI')));
    clock.advance(60);
    const settings = { ...TEST_SETTINGS, publishBaseline: true };
    const putProjects = store.putProjects.bind(store);
    let puts = 0;
    store.putProjects = async (processId, states) => {
      if (++puts === 2) throw new RunOutOfTimeError('no time left to store page 2');
      return putProjects(processId, states);
    };

    const first = await pollProcess(deps(source, store), settings, PROCESS);

    expect(first).toMatchObject({ complete: false });
    expect(store.checkpoints.get(PROCESS)).toMatchObject({ after: 'b', pagesRead: 1 });
    store.putProjects = putProjects;
    clock.advance(60);

    await expect(pollProcess(deps(source, store), settings, PROCESS)).resolves.toMatchObject({
      complete: true,
      resumed: true,
    });
    expect([...store.projects.values()].map((state) => state.sequence)).toEqual([1, 1, 1, 1, 1, 1]);
    const idsBySubject = new Map<string, Set<string>>();
    for (const event of publisher.published) {
      idsBySubject.set(event.subject, (idsBySubject.get(event.subject) ?? new Set()).add(event.id));
    }
    expect([...idsBySubject.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // Pages published but not yet stored when the run stopped are published again, with the same ids.
    expect([...idsBySubject.values()].every((ids) => ids.size === 1)).toBe(true);
  });

  it('fails the run only once no page is writing any more, and the next run delivers every change once stored', async () => {
    const source = new InMemoryProjectSource(2);
    const store = new InMemoryStateStore(clock);
    source.put(...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => project(id, 'LOI')));
    clock.advance(60);
    const settings = { ...TEST_SETTINGS, publishBaseline: true };
    const putProjects = store.putProjects.bind(store);
    let writing = 0;
    let puts = 0;
    store.putProjects = async (processId, states) => {
      if (++puts === 1) throw new Error('DynamoDB unavailable');
      return putProjects(processId, states);
    };
    const recordChanges = store.recordChanges.bind(store);
    store.recordChanges = async (processId, changes, recordedAt) => {
      writing++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      writing--;
      return recordChanges(processId, changes, recordedAt);
    };

    await expect(pollProcess(deps(source, store), settings, PROCESS)).rejects.toThrow('DynamoDB unavailable');

    expect(writing).toBe(0);
    expect(store.watermarks.has(PROCESS)).toBe(false);
    const firstRun = publisher.published.length;
    store.putProjects = putProjects;
    store.recordChanges = recordChanges;
    clock.advance(60);
    await pollProcess(deps(source, store), settings, PROCESS);

    expect([...store.projects.values()].map((state) => state.sequence)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const ids = new Map(publisher.published.map((event) => [event.subject, event.id]));
    expect(publisher.published.every((event) => ids.get(event.subject) === event.id)).toBe(true);
    expect(ids.size).toBe(8);
    expect(firstRun).toBeGreaterThanOrEqual(2);
  });

  it('takes large pages one at a time, so memory holds no more of them than before pages were pipelined', async () => {
    const pages = [
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ].map((ids) => ids.map((id) => project(id, 'LOI')));
    const source = new ScriptedSource(pages, 700_000);
    const store = new GatedStateStore(clock);
    const reads: string[][] = [];
    const getProjects = store.getProjects.bind(store);
    store.getProjects = (processId, ids) => {
      reads.push([...ids]);
      return getProjects(processId, ids);
    };

    const run = pollProcess(deps(source, store), { ...TEST_SETTINGS, publishBaseline: true }, PROCESS);
    await until(() => store.waiting.length === 1);
    for (let turn = 0; turn < 50; turn++) await new Promise((r) => setImmediate(r));

    expect(reads).toEqual([['a', 'b']]);
    expect(subjectsOf(publisher.published)).toEqual(['a', 'b']);
    for (let put = 0; put < 3; put++) {
      await until(() => store.waiting.length > put);
      store.waiting[put]?.release();
    }
    await expect(run).resolves.toMatchObject({ complete: true, published: 6, pages: 3 });
  });
});

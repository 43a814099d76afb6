/**
 * A workspace's processes run a few at a time over the one source the workspace opened: never more in
 * flight than the bound, every process polled, the summary in configured order, and one process's
 * failure (or long wait) leaves the others to finish.
 */
import { describe, expect, it } from 'vitest';
import { pollRun } from '../../../shared/core/poll-run.js';
import type { PageRequest, ProjectPage, ProjectSource } from '../../../shared/core/ports.js';
import { InMemoryStateStore, ManualClock, RecordingPublisher } from '../../fakes/in-memory-ports.js';

const settings = {
  overlapSeconds: 300,
  ignoredFields: new Set(['updatedAt']),
  publishBaseline: true,
  sourceBase: 'https://api.app-eu.midaxo.com',
};

/** A source whose listings stay open until released, so the test sees how many are in flight. */
class GatedSource implements ProjectSource {
  inFlight = 0;
  mostInFlight = 0;
  readonly waiting: { processId: string; release: () => void; fail: (e: Error) => void }[] = [];

  fetchPage(request: PageRequest): Promise<ProjectPage> {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    return new Promise<ProjectPage>((resolve, reject) => {
      const done = () => {
        this.inFlight -= 1;
        const index = this.waiting.indexOf(listing);
        if (index >= 0) this.waiting.splice(index, 1);
      };
      const listing = {
        processId: request.processId,
        release: () => {
          done();
          const id = `${request.processId}-a`;
          resolve({
            projects: [{ id, body: { id, updatedAt: '2026-11-27T11:00:00Z' } }],
            endCursor: null,
          });
        },
        fail: (e: Error) => {
          done();
          reject(e);
        },
      };
      this.waiting.push(listing);
    });
  }
}

/** Lets pending work run until the gated source holds `count` listings, or nothing more moves. */
async function settle(source: GatedSource, count: number): Promise<void> {
  for (let turn = 0; turn < 1000 && source.waiting.length < count; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function run(source: GatedSource, processIds: string[], processConcurrency?: number) {
  const store = new InMemoryStateStore();
  const clock = new ManualClock(new Date('2026-11-27T12:00:00Z'));
  const deps = { store, processes: store, publisher: new RecordingPublisher(), clock };
  return pollRun(
    [{ name: 'acme', processIds, openSource: async () => source }],
    deps,
    processConcurrency === undefined ? settings : { ...settings, processConcurrency },
  );
}

describe('pollRun over many processes of one workspace', () => {
  it('keeps at most the configured number of processes in flight and polls every one, reported in order', async () => {
    const source = new GatedSource();
    const processIds = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const summary = run(source, processIds, 3);

    let released = 0;
    while (released < processIds.length) {
      await settle(source, 1);
      const next = source.waiting[0];
      if (next === undefined) break;
      next.release();
      released += 1;
    }
    const { processes } = await summary;

    expect(source.mostInFlight).toBe(3);
    expect(processes.map((outcome) => [outcome.processId, outcome.error])).toEqual(
      processIds.map((id) => [id, undefined]),
    );
  });

  it('polls 8 processes at once by default', async () => {
    const source = new GatedSource();
    const summary = run(
      source,
      Array.from({ length: 20 }, (_, i) => `p${i}`),
    );

    await settle(source, 8);
    expect(source.waiting).toHaveLength(8);
    await settle(source, 9);
    expect(source.waiting).toHaveLength(8);
    while (source.waiting.length > 0) {
      for (const listing of [...source.waiting]) listing.release();
      await settle(source, 1);
    }
    expect((await summary).processes).toHaveLength(20);
  });

  it('lets the other processes finish while one waits, and keeps a failure to its own process', async () => {
    const source = new GatedSource();
    const summary = run(source, ['slow', 'broken', 'p2', 'p3'], 2);

    await settle(source, 2);
    const slow = source.waiting.find((listing) => listing.processId === 'slow');
    source.waiting.find((listing) => listing.processId === 'broken')?.fail(new Error('HTTP 500'));
    // While "slow" keeps its slot, the other slot polls the rest.
    for (const id of ['p2', 'p3']) {
      await settle(source, 2);
      source.waiting.find((listing) => listing.processId === id)?.release();
    }
    slow?.release();
    const { processes } = await summary;

    expect(processes.map((outcome) => [outcome.processId, outcome.error])).toEqual([
      ['slow', undefined],
      ['broken', 'Error: HTTP 500'],
      ['p2', undefined],
      ['p3', undefined],
    ]);
  });
});

/**
 * Local mode's claim on a process, as cron overlap meets it: two runs on one state file (two
 * connections, as two `npm start --once` processes have) never work on one process at once.
 */
import { describe, expect, it } from 'vitest';
import { isLocalOwnerGone, localRunOwner } from '../../../local/local-run-owner.js';
import type { SqliteStateStore } from '../../../shared/adapters/sqlite/sqlite-state-store.js';
import { pollProcess } from '../../../shared/core/poll-process.js';
import type { PageRequest, ProjectPage, ProjectSource } from '../../../shared/core/ports.js';
import { ManualClock, RecordingPublisher, TEST_SETTINGS, TEST_START } from '../../fakes/in-memory-ports.js';
import { useTempSqliteStores } from './temp-sqlite-stores.js';

const PROCESS = 'process-overlap';

describe('SQLite process claim', () => {
  const stores = useTempSqliteStores('sqlite-claim-');
  const clock = new ManualClock(TEST_START);
  const open = (isOwnerGone?: (owner: string) => boolean) => stores.open({ clock, isOwnerGone });
  const inSeconds = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);

  it('lets a second run on the same state file skip a process the first one is polling, so no sequence is published twice', async () => {
    let resume: () => void = () => {};
    let started: () => void = () => {};
    const gate = new Promise<void>((release) => {
      resume = release;
    });
    const firstIsListing = new Promise<void>((resolve) => {
      started = resolve;
    });
    // The first run's listing waits until the second run has tried its claim.
    const slowSource: ProjectSource = {
      async fetchPage(request) {
        started();
        await gate;
        return page(request);
      },
    };
    const first = open();
    const second = open();
    const published = [new RecordingPublisher(), new RecordingPublisher()];
    const deps = (store: SqliteStateStore, index: 0 | 1, runId: string) => ({
      source: index === 0 ? slowSource : { fetchPage: async (request: PageRequest) => page(request) },
      store,
      processes: store,
      publisher: published[index] as RecordingPublisher,
      clock,
      runId,
    });
    const settings = { ...TEST_SETTINGS, publishBaseline: true };

    const running = pollProcess(deps(first, 0, 'cron-run-1'), settings, PROCESS);
    await firstIsListing;
    const overlapping = await pollProcess(deps(second, 1, 'cron-run-2'), settings, PROCESS);
    resume();
    const done = await running;

    expect(overlapping).toMatchObject({ skipped: 'lease-held', published: 0 });
    expect(done).toMatchObject({ complete: true, published: 3 });
    expect(published[1]?.published).toEqual([]);
    // Given back: the next run claims it.
    expect(await second.claim(PROCESS, 'cron-run-3', inSeconds(60))).toBeDefined();
  });

  it("takes over at once the claim of a local run whose process has ended, not a running one's", async () => {
    const store = open(isLocalOwnerGone);
    const gone = `local:${(await import('node:os')).hostname()}:999999999:0a1b2c3d`;
    expect(await store.claim('p-crashed', gone, inSeconds(900))).toBeDefined();
    expect(await store.claim('p-crashed', localRunOwner(), inSeconds(900))).toBeDefined();
    expect(await store.claim('p-crashed', localRunOwner(), inSeconds(900))).toBeUndefined();
  });
});

const PROJECTS = ['a', 'b', 'c'].map((id) => ({
  id,
  body: { id, name: `Project ${id}`, updatedAt: '2026-11-27T11:00:00.000Z' },
}));

function page(request: PageRequest): ProjectPage {
  return request.after === undefined
    ? { projects: PROJECTS, endCursor: 'c' }
    : { projects: [], endCursor: null };
}

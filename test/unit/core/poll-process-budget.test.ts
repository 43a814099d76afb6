import { beforeEach, describe, expect, it } from 'vitest';
import { ListingTooLongError } from '../../../shared/core/listing-too-long-error.js';
import { MAX_LISTING_PAGES } from '../../../shared/core/page-stream.js';
import { type PollDependencies, type PollSettings, pollProcess } from '../../../shared/core/poll-process.js';
import { RunOutOfTimeError } from '../../../shared/core/run-out-of-time-error.js';
import { type FakeProject, fakePorts, TEST_SETTINGS } from '../../fakes/in-memory-ports.js';

const PROCESS = 'process-1';
const settings: PollSettings = { ...TEST_SETTINGS, publishBaseline: true, reserveMs: 1_000 };

describe('pollProcess with a time budget and a lease', () => {
  let { clock, source, store, publisher } = fakePorts();
  let deps: (pagesAllowed: number, runId?: string) => PollDependencies;

  beforeEach(() => {
    ({ clock, source, store, publisher } = fakePorts());
    const projects: FakeProject[] = Array.from({ length: 9 }, (_, i) => ({
      id: `p${i}`,
      updatedAt: clock.advance(-1).toISOString(),
    }));
    source.put(...projects);
    clock.advance(60);
    deps = (pagesAllowed, runId = 'run-1') => {
      let pages = 0;
      return {
        source,
        store,
        publisher,
        clock,
        processes: store,
        runId,
        budget: { remainingMs: () => (pages++ < pagesAllowed ? 60_000 : 0) },
      };
    };
  });

  it('checkpoints and returns incomplete when time runs low, and the next run resumes there without loss or duplicates', async () => {
    const first = await pollProcess(deps(1), settings, PROCESS);

    expect(first).toMatchObject({ complete: false, pages: 2, published: 4 });
    expect(store.watermarks.has(PROCESS)).toBe(false);
    expect(store.checkpoints.get(PROCESS)).toMatchObject({ after: 'p3', baseline: true, pagesRead: 2 });
    clock.advance(300);

    const second = await pollProcess(deps(100), settings, PROCESS);

    expect(second).toMatchObject({ complete: true, resumed: true, published: 5 });
    const subjects = publisher.published.map((event) => event.subject);
    expect(subjects).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8']);
    expect(source.requests[2]).toMatchObject({ after: 'p3', window: source.requests[0]?.window });
    expect(store.checkpoints.has(PROCESS)).toBe(false);
    expect(store.watermarks.get(PROCESS)).toBe(source.requests[0]?.window?.updatedBefore);
  });

  it("counts the pages of earlier, interrupted runs of a window against the listing's page limit", async () => {
    store.checkpoints.set(PROCESS, {
      window: { updatedBefore: clock.now().toISOString() },
      after: 'p1',
      baseline: true,
      pagesRead: MAX_LISTING_PAGES - 1,
    });

    await expect(pollProcess(deps(100), settings, PROCESS)).rejects.toMatchObject({
      name: 'ListingTooLongError',
      cause: expect.any(ListingTooLongError),
    });
  });

  it('checkpoints where it got to when the source will not start a request it could not finish in time', async () => {
    const listing = source.fetchPage.bind(source);
    source.fetchPage = async (request) => {
      if (request.after === 'p3') throw new RunOutOfTimeError('not retried: too little time left');
      return listing(request);
    };

    const summary = await pollProcess(deps(100), settings, PROCESS);

    expect(summary).toMatchObject({ complete: false, pages: 2, published: 4 });
    expect(store.checkpoints.get(PROCESS)).toMatchObject({ after: 'p3' });
    expect(store.watermarks.has(PROCESS)).toBe(false);
  });

  it('returns at once, publishing nothing, while another run holds the lease', async () => {
    await store.claim(PROCESS, 'other-run', new Date(clock.now().getTime() + 60_000));

    const summary = await pollProcess(deps(100), settings, PROCESS);

    expect(summary).toMatchObject({ skipped: 'lease-held', complete: false, scanned: 0 });
    expect(source.requests).toEqual([]);
    expect(publisher.published).toEqual([]);
  });

  it('takes over a lease that expired, as after a crashed run', async () => {
    await store.claim(PROCESS, 'crashed-run', new Date(clock.now().getTime() - 1));

    const summary = await pollProcess(deps(100), settings, PROCESS);

    expect(summary).toMatchObject({ complete: true, published: 9 });
    expect(store.leases.has(PROCESS)).toBe(false);
  });

  it('gives the lease back when the run fails', async () => {
    publisher.failOnCall = 1;

    await expect(pollProcess(deps(100), settings, PROCESS)).rejects.toThrow('topic unavailable');

    expect(store.leases.has(PROCESS)).toBe(false);
  });
});

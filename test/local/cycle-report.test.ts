import { describe, expect, it } from 'vitest';
import { cycleReportLines } from '../../local/cycle-report.js';
import { emptySummary } from '../../shared/core/scan-listing.js';

const report = (outcome: object, includeQuiet = false) =>
  cycleReportLines(
    { processes: [{ workspace: 'sandbox', complete: true, ...outcome } as never] },
    { includeQuiet, elapsedMs: 40 },
  );

const sweepOf = (figures: object) => ({ ...emptySummary('demo', 'reconcile'), ...figures });

describe('cycle report', () => {
  it('says what a deletion sweep found', () => {
    const sweep = sweepOf({ scanned: 198, pages: 2, deleted: 2, published: 2, unchanged: 198 });

    expect(report(sweep)).toEqual([
      'sandbox/demo: sweep: 0 updated, 0 created, 2 deleted (198 projects read in 2 pages in 40 ms)',
    ]);
  });

  it('says a sweep of a new state recorded the projects without publishing them, instead of calling them created', () => {
    const first = sweepOf({ scanned: 200, pages: 2, created: 200, published: 0 });

    expect(report(first)).toEqual([
      'sandbox/demo: first sweep of a new state: recorded 200 projects without publishing them (200 projects read in 2 pages in 40 ms); --publish-baseline publishes them as created',
    ]);
  });

  it('names each project a cycle set aside, with why, printable whatever its id holds', () => {
    const poll = {
      ...emptySummary('demo', 'incremental'),
      scanned: 3,
      pages: 1,
      updated: 2,
      published: 2,
      quarantined: 1,
      setAside: [{ projectId: 'prj-\u001b[31mred', reason: 'nested deeper than 64 levels' }],
    };

    expect(report(poll)).toEqual([
      'sandbox/demo: 2 updated, 0 created, 0 unchanged (3 projects read in 1 page in 40 ms)',
      'sandbox/demo: set aside prj-red: nested deeper than 64 levels',
    ]);
  });

  it('says how many recorded events a replay sent again, not that it found no changes', () => {
    const replay = { ...emptySummary('demo', 'replay'), pages: 1, published: 15 };
    const emptyReplay = emptySummary('demo', 'replay');

    expect(report(replay)).toEqual([
      'sandbox/demo: replayed 15 recorded events from the event log, same ids (in 40 ms)',
    ]);
    expect(report(emptyReplay)).toEqual([
      'sandbox/demo: replayed 0 recorded events from the event log, same ids (in 40 ms)',
    ]);
  });

  it('counts one project and one page in the singular', () => {
    const first = { ...emptySummary('demo', 'baseline'), scanned: 1, pages: 1, created: 1 };

    expect(report(first)).toEqual([
      'sandbox/demo: first cycle: recorded 1 project without publishing them (1 project read in 1 page in 40 ms); --publish-baseline publishes them as created',
    ]);
  });

  it('stays quiet about a poll or sweep that found nothing unless asked', () => {
    const quiet = emptySummary('demo', 'incremental');
    const quietSweep = sweepOf({ scanned: 5, pages: 1, unchanged: 5 });

    expect(report(quiet)).toEqual([]);
    expect(report(quietSweep)).toEqual([]);
    expect(report(quiet, true)).toEqual(['sandbox/demo: no changes (0 projects read in 0 pages in 40 ms)']);
    expect(report(quietSweep, true)).toEqual([
      'sandbox/demo: sweep: no changes (5 projects read in 1 page in 40 ms)',
    ]);
  });
});

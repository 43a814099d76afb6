import { describe, expect, it } from 'vitest';
import { cycleReportLines } from '../../local/cycle-report.js';
import { emptySummary } from '../../shared/core/scan-listing.js';

describe('cycle report', () => {
  it('says what a deletion sweep found', () => {
    const sweep = {
      workspace: 'sandbox',
      ...emptySummary('demo', 'reconcile'),
      scanned: 198,
      pages: 2,
      deleted: 2,
    };

    expect(cycleReportLines({ processes: [sweep] }, { includeQuiet: false, elapsedMs: 40 })).toEqual([
      'sandbox/demo: sweep: 2 deleted, 0 updated, 0 created (198 read in 2 pages in 40 ms)',
    ]);
  });

  it('stays quiet about a poll that found nothing unless asked', () => {
    const quiet = { workspace: 'sandbox', ...emptySummary('demo', 'incremental'), complete: true };

    expect(cycleReportLines({ processes: [quiet] }, { includeQuiet: false, elapsedMs: 5 })).toEqual([]);
    expect(cycleReportLines({ processes: [quiet] }, { includeQuiet: true, elapsedMs: 5 })).toEqual([
      'sandbox/demo: no changes (0 read in 0 pages in 5 ms)',
    ]);
  });
});

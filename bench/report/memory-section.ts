/** The peak-memory part of the report: each workspace size under each V8 setting, and the ratio the target checks. */
import type { MemoryRun } from '../scenarios/memory.js';
import { median } from '../support/median.js';
import { count, mib, ratio, seconds } from './figure-format.js';
import type { ReportFormat } from './report-format.js';

export function memorySection(runs: readonly MemoryRun[], { table, heading }: ReportFormat): string[] {
  const settings = [...new Set(runs.map((run) => run.setting))];
  return [
    heading('Peak memory of the poller process (baseline over every project; fresh process per sample)'),
    table(
      ['projects', 'V8 setting', 'heap limit', 'peak RSS (median)', 'wall (median)'],
      runs.map((run) => [
        count(run.projects),
        run.setting,
        mib(run.samples[0]?.heapSizeLimitBytes ?? Number.NaN),
        mib(run.medianPeakRssBytes),
        seconds(median(run.samples.map((sample) => sample.wallMs))),
      ]),
      ['right', 'left', 'right', 'right', 'right'],
    ),
    '',
    // Apart from the table above, so each stays within 100 columns.
    table(
      ['projects', 'V8 setting', 'peak RSS samples (MiB)', 'heap after GC (max)'],
      runs.map((run) => [
        count(run.projects),
        run.setting,
        run.samples.map((sample) => (sample.peakRssBytes / 1024 / 1024).toFixed(1)).join(', '),
        mib(run.peakHeapAfterMajorGcBytes),
      ]),
      ['right', 'left', 'right', 'right'],
    ),
    '',
    table(
      ['V8 setting', 'peak RSS, largest ÷ smallest workspace (medians)'],
      settings.map((setting) => {
        const mine = runs.filter((run) => run.setting === setting);
        const [smallest, largest] = [mine[0], mine.at(-1)];
        const shown =
          smallest === undefined || largest === undefined || smallest === largest
            ? '—'
            : ratio(largest.medianPeakRssBytes / smallest.medianPeakRssBytes);
        return [setting, shown];
      }),
      ['left', 'right'],
    ),
  ];
}

/**
 * The bench's figures the cost table is computed from, copied from its results (named below) so the
 * docs' table does not change with every run. Re-run the bench and update these when the poller's
 * work changes; `npx tsx bench/cost/print-cost-table.ts` then prints the new table.
 */
import type { MeasuredUsage } from './monthly-cost.js';

/**
 * - `perChangedProject`: `--only change,idle`, bench-2026-12-01T04-16-53Z.json: the change run of
 *   1,000 changed projects out of 10,000, medians of 3 rounds (wall 1.48 s, CPU 402 ms), 3,003 write
 *   and 1,000 read units in each round (event log, project states, outbox and process item included).
 * - `perRelistedProject`: the same file's next run, which lists the 1,000 again and finds nothing
 *   new: 0.50 s wall, 83 ms CPU, 1,000 read units and 2 write units (the process item).
 * - `idleRun`: `--only idle,memory`, bench-2026-12-01T04-19-58Z.json: median of 5 warm idle runs with
 *   Midaxo answering in 300 ms (wall 345-380 ms, CPU 11-12 ms), 2 write units (claim, release) and
 *   no read unit in each.
 * - `peakRssMiB`: the same file, the deployed heap cap, 50,000 projects, median of 3.
 */
export const MEASURED_USAGE: MeasuredUsage = {
  idleRun: { wallMs: 349.9, cpuMs: 11.76, writeUnits: 2, readUnits: 0 },
  perChangedProject: { wallMs: 1.478, cpuMs: 0.4025, writeUnits: 3.003, readUnits: 1 },
  perRelistedProject: { wallMs: 0.4974, cpuMs: 0.0832, writeUnits: 0.002, readUnits: 1 },
  peakRssMiB: 147.5,
};

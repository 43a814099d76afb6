/**
 * The run's update window. It is pinned when the run starts: an update made while paging falls after
 * `updatedBefore` and is read by the next run, and reading back `overlapSeconds` before the watermark
 * absorbs clock skew between us and Midaxo; the content hashes make that re-read silent.
 */
import type { UpdateWindow, Watermark } from './ports.js';

export function updateWindowFor(
  watermark: Watermark | undefined,
  runStart: Date,
  overlapSeconds: number,
): UpdateWindow {
  const updatedBefore = runStart.toISOString();
  if (watermark === undefined) return { updatedBefore };
  const updatedAfter = new Date(Date.parse(watermark) - overlapSeconds * 1000).toISOString();
  return { updatedAfter, updatedBefore };
}

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
): UpdateWindow & { readonly updatedBefore: string } {
  const updatedBefore = runStart.toISOString();
  if (watermark === undefined) return { updatedBefore };
  return { updatedAfter: overlapStart(watermark, overlapSeconds), updatedBefore };
}

/** The instant `overlapSeconds` before `instant`: where a re-read starts so skewed clocks lose nothing. */
export function overlapStart(instant: Date | string, overlapSeconds: number): string {
  return new Date(new Date(instant).getTime() - overlapSeconds * 1000).toISOString();
}

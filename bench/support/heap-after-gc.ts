/**
 * The heap still in use right after each major (mark-compact) GC: what the process really holds,
 * as opposed to the peak RSS, which also counts garbage V8 had not yet collected.
 */
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** A `gc` performance entry; Node 20's types do not declare its `detail`. */
type GcEntry = PerformanceEntry & { readonly detail?: { readonly kind?: number } };

export interface HeapAfterGcWatch {
  /** Largest heap in use after a major GC since the last reset; 0 when none ran. */
  peakBytes(): number;
  reset(): void;
}

export function watchHeapAfterMajorGc(): HeapAfterGcWatch {
  let peak = 0;
  const observer = new PerformanceObserver((list) => {
    const major = list
      .getEntries()
      .some((entry) => (entry as GcEntry).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (major) peak = Math.max(peak, getHeapStatistics().used_heap_size);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    peakBytes: () => peak,
    reset() {
      peak = 0;
    },
  };
}

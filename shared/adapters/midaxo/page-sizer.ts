/**
 * Chooses `first` for each listing request so a page stays well under Midaxo's 6 MB response cap.
 * Pages are sized ahead from the largest bytes-per-project seen so far; a page that failed for size
 * (413, or a 5xx, which is what an oversized response of a serverless API usually turns into) halves
 * the size; small pages let it grow back towards the configured size.
 */
export const MIDAXO_MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export interface PageSizerOptions {
  /** The configured page size, never exceeded. */
  readonly maxPageSize: number;
  /** Bytes a page is planned to hold at most. @default half the 6 MB cap */
  readonly targetBytes?: number;
}

export interface PageSizer {
  /** The `first` to ask for next. */
  next(): number;
  /** A page of `size` failed in a way an oversized response would: ask for half next time. */
  shrink(size: number): void;
  /** A page came back: learn its bytes per project. */
  record(projects: number, bytes: number): void;
}

export function createPageSizer(options: PageSizerOptions): PageSizer {
  const targetBytes = options.targetBytes ?? MIDAXO_MAX_RESPONSE_BYTES / 2;
  let current = options.maxPageSize;
  let largestBytesPerProject = 0;

  const planned = () => {
    if (largestBytesPerProject === 0) return current;
    return Math.max(1, Math.min(current, Math.floor(targetBytes / largestBytesPerProject)));
  };

  return {
    next: planned,
    shrink(size) {
      current = Math.max(1, Math.min(current, Math.floor(size / 2)));
    },
    record(projects, bytes) {
      if (projects === 0) return;
      largestBytesPerProject = Math.max(largestBytesPerProject, bytes / projects);
      // Grow back only where the estimate says a doubled page still fits the target.
      if (current < options.maxPageSize && bytes * 2 <= targetBytes) {
        current = Math.min(options.maxPageSize, current * 2);
      }
    },
  };
}

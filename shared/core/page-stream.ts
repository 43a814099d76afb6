/**
 * Walks a process's listing page by page. The next page is requested while the caller works on the
 * current one, so storing and publishing overlap with the (sequential) cursor paging; memory holds the
 * caller's pages in flight and one more, whatever the size of the workspace.
 *
 * Ends on an empty page (whatever its cursor) or a page without an end cursor — never on a short page,
 * since the server may cap the page size below what was asked. A page that carries projects but hands
 * back a cursor this listing already had (page 1's again, or the one it was asked with) is no end but a
 * broken answer: it fails with a `BrokenListingError` before its projects reach the caller, as taking
 * it for an end would skip every page after it. A listing that still goes on after `maxPages` pages
 * fails with a `ListingTooLongError` once the caller has had the last page it was allowed.
 */
import { BrokenListingError } from './broken-listing-error.js';
import { idDigest } from './id-digests.js';
import { ListingTooLongError } from './listing-too-long-error.js';
import type { PageRequest, ProjectPage, ProjectSource } from './ports.js';

/**
 * Pages one listing may take. With 100 projects a page that is a million projects, far past any real
 * process, and far fewer pages than it takes to exhaust a poller's memory or a local run's patience
 * when a server hands out new cursors forever. Pages shrunk for size (large projects) still leave room
 * for hundreds of thousands of projects.
 */
export const MAX_LISTING_PAGES = 10_000;

/** Characters a `paging.endCursor` may have. Opaque cursors of paging APIs run to a few hundred; a cursor
 * goes into every next URL and into the checkpoint. */
export const MAX_CURSOR_LENGTH = 4096;

export interface ListingLimits {
  /** @default MAX_LISTING_PAGES */
  readonly maxPages: number;
}

export async function* streamPages(
  source: ProjectSource,
  request: PageRequest,
  limits: ListingLimits = { maxPages: MAX_LISTING_PAGES },
): AsyncGenerator<ProjectPage> {
  // Digests, not the cursors: a hostile server's long cursors would otherwise add up over many pages.
  const seenCursors = new Set<string>(request.after === undefined ? [] : [idDigest(request.after)]);
  let pagesRequested = 1;
  let pending: Promise<ProjectPage> | undefined = source.fetchPage(request);
  while (pending !== undefined) {
    const page: ProjectPage = await pending;
    pending = undefined;
    if (page.projects.length === 0) return;
    const cursor = page.endCursor;
    if (cursor !== null && seenCursors.has(idDigest(cursor))) {
      throw new BrokenListingError(
        `the listing of process ${request.processId} is broken: page ${pagesRequested} holds ` +
          `${page.projects.length} projects but repeats an end cursor the listing already had, so the ` +
          'pages after it cannot be reached; nothing is inferred from it and the next run reads it again',
      );
    }
    const limitReached = cursor !== null && pagesRequested >= limits.maxPages;
    if (cursor !== null && !limitReached) {
      seenCursors.add(idDigest(cursor));
      pagesRequested++;
      pending = source.fetchPage({ ...request, after: cursor });
      // Handled when awaited on the next turn; this keeps a failure during the caller's work from being "unhandled".
      pending.catch(() => undefined);
    }
    yield page;
    if (limitReached) {
      throw new ListingTooLongError(
        `the listing of process ${request.processId} went on past ${limits.maxPages} pages, each with a new ` +
          'cursor; stopped there, as a server that never ends a listing would keep the run going forever',
      );
    }
  }
}

/**
 * Walks a process's listing page by page. The next page is requested while the caller works on the
 * current one, so storing and publishing overlap with the (sequential) cursor paging; memory holds
 * two pages at most, whatever the size of the workspace.
 *
 * Stops on an empty page, a missing end cursor, or a cursor seen before — never on a short page, since
 * the server may cap the page size below what was asked.
 */
import type { PageRequest, ProjectPage, ProjectSource } from './ports.js';

export async function* streamPages(source: ProjectSource, request: PageRequest): AsyncGenerator<ProjectPage> {
  const seenCursors = new Set<string>(request.after === undefined ? [] : [request.after]);
  let pending: Promise<ProjectPage> | undefined = source.fetchPage(request);
  while (pending !== undefined) {
    const page: ProjectPage = await pending;
    pending = undefined;
    if (page.projects.length === 0) return;
    const cursor = page.endCursor;
    if (cursor !== null && !seenCursors.has(cursor)) {
      seenCursors.add(cursor);
      pending = source.fetchPage({ ...request, after: cursor });
      // Handled when awaited on the next turn; this keeps a failure during the caller's work from being "unhandled".
      pending.catch(() => undefined);
    }
    yield page;
  }
}

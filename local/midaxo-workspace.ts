/**
 * One Midaxo workspace as the core's run sees it, over the same HTTP adapters as the Lambda: a token
 * provider kept for the whole session (so later cycles reuse the token; it is not cached on disk, as the
 * Lambda's is in the state table: one long-running process needs no sharing, and a SQLite file left on a
 * laptop is no place for a bearer token) and the cursor-paged project source,
 * wrapped so Ctrl-C stops it and the progress line sees each page.
 */
import type { MidaxoEndpoints } from '../shared/adapters/midaxo/midaxo-endpoints.js';
import { createMidaxoSourceFactory } from '../shared/adapters/midaxo/midaxo-source-factory.js';
import type { MidaxoCredentials } from '../shared/config/midaxo-credentials.js';
import { DEFAULT_PAGE_SIZE } from '../shared/config/poll-defaults.js';
import type { WorkspacePlan } from '../shared/core/poll-run.js';
import type { PageRequest, ProjectSource } from '../shared/core/ports.js';
import type { Sleep } from '../shared/support/backoff.js';
import { stoppableSource } from './stop-signal.js';

export interface MidaxoWorkspaceOptions {
  readonly name: string;
  readonly endpoints: MidaxoEndpoints;
  readonly credentials: MidaxoCredentials;
  readonly processIds: readonly string[];
  readonly fetch: typeof globalThis.fetch;
  readonly sleep: Sleep;
  readonly signal: AbortSignal;
  /** Told of each page read, for the progress line. */
  readonly onPage?: (request: PageRequest, projects: number) => void;
}

export function midaxoWorkspace(options: MidaxoWorkspaceOptions): WorkspacePlan {
  const { endpoints, fetch, sleep } = options;
  const openSource = createMidaxoSourceFactory({ endpoints, pageSize: DEFAULT_PAGE_SIZE, fetch, sleep });
  const source = stoppableSource(
    countingPages(openSource(options.name, options.credentials), options.onPage),
    options.signal,
  );
  return { name: options.name, processIds: options.processIds, openSource: async () => source };
}

function countingPages(source: ProjectSource, onPage: MidaxoWorkspaceOptions['onPage']): ProjectSource {
  if (onPage === undefined) return source;
  return {
    async fetchPage(request) {
      const page = await source.fetchPage(request);
      onPage(request, page.projects.length);
      return page;
    },
  };
}

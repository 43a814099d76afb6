/**
 * The API floor of a run: what its listing requests cost under the latency model, added up. Cursor
 * paging is sequential (each request needs the cursor of the one before), so no poller can list faster.
 */
import type { SandboxLatency } from '../../sandbox/midaxo-sandbox.js';

export function apiFloorMs(
  counters: { readonly listingRequests: number; readonly projectsReturned: number },
  latency: SandboxLatency,
): number {
  return counters.listingRequests * latency.perRequestMs + counters.projectsReturned * latency.perProjectMs;
}

/**
 * The example's business logic: keep each project's latest snapshot. Replace it with yours; whatever
 * it returns is stored as the project's view in the same conditional write that records the
 * sequence, so the view is always that of the newest change applied.
 */
import type { ProjectView } from './projects-table.js';
import type { ReceivedChange } from './received-change.js';

/**
 * `snapshot` is the project as the event carried it, as a JSON string (as the notifier keeps its own
 * snapshots: any shape fits one attribute), or null when the project was deleted or the event had to
 * drop it to fit SNS (`data.truncated`): then read the project from Midaxo if you need it.
 */
export function keepLatestSnapshot(change: ReceivedChange): ProjectView {
  const deleted = change.type === 'com.midaxo.project.deleted';
  const project = deleted ? null : (change.data.project ?? null);
  return {
    status: deleted ? 'deleted' : 'present',
    snapshot: project === null ? null : JSON.stringify(project),
    changeType: change.type,
  };
}

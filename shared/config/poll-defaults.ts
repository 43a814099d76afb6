import { DEFAULT_DELETION_GUARD } from '../core/deletion-guard.js';

/** The poll settings' defaults, one set for the Lambda's environment, the CDK configuration and the CLI. */
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_OVERLAP_SECONDS = 300;
export const DEFAULT_IGNORED_FIELDS: readonly string[] = ['updatedAt'];
/** How long recorded events stay in the event log for replay, in days. */
export const DEFAULT_EVENT_RETENTION_DAYS = 14;
/** Processes of one workspace polled at once: enough to hide Midaxo's latency, few enough to stay polite. */
export const DEFAULT_PROCESS_CONCURRENCY = 8;
/** A sweep holds its deletions when they are more than this many and more than this share (percent)
 * of the process's known projects (see deletion-guard.ts). */
export const { maxDeletions: DEFAULT_MAX_DELETIONS, maxDeletionsPercent: DEFAULT_MAX_DELETIONS_PERCENT } =
  DEFAULT_DELETION_GUARD;

/**
 * The accidental-deletion guard of the sweep (after Azure AD Connect's deletion threshold and rsync's
 * `--max-delete`). The API has no deletion feed: a sweep infers a deletion from a project's absence, and
 * an answer that lists too little (lost access to a process, an incident on Midaxo's side) looks exactly
 * like a mass deletion. Deletions a consumer cannot undo are therefore held when there are many of them,
 * until an operator confirms them (a sweep with `confirmDeletions`).
 */

export interface DeletionGuard {
  /** More inferred deletions than this may be held (both limits must be passed). */
  readonly maxDeletions: number;
  /** ...and more than this share (in percent) of the process's known projects. */
  readonly maxDeletionsPercent: number;
}

/** The configuration schemas' defaults too (shared/config/poll-defaults.ts). */
export const DEFAULT_DELETION_GUARD: DeletionGuard = { maxDeletions: 10, maxDeletionsPercent: 20 };

export interface InferredDeletions {
  /** Known projects the sweep's listings did not return. */
  readonly gone: number;
  /** Projects the process had before the sweep's deletions (stored, not deleted). */
  readonly known: number;
  /** Projects the sweep's listings returned. */
  readonly listed: number;
}

/**
 * Whether the deletions must wait for confirmation. A listing that returned nothing at all, for a process
 * with stored projects, is held whatever the numbers: a lost permission answers exactly like that.
 */
export function holdsDeletions(guard: DeletionGuard, { gone, known, listed }: InferredDeletions): boolean {
  if (gone === 0) return false;
  if (listed === 0) return true;
  return gone > guard.maxDeletions && gone * 100 > known * guard.maxDeletionsPercent;
}

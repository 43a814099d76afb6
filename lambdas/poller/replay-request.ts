/** What the poller hands to the replay it is given: the validated time range and the processes it covers. */
export interface ReplayRequest {
  /** Inclusive start, UTC (`toISOString()` form). */
  readonly since: string;
  /** Exclusive end, UTC; absent means up to now. */
  readonly until?: string;
  /** Every configured process, or those the payload selected by workspace or process id. */
  readonly processIds: readonly string[];
}

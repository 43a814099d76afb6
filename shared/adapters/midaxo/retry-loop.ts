/**
 * The retry pacing of Midaxo requests: transient failures are retried with the shared exponential backoff,
 * or after the server's `Retry-After`, within the policy's attempts.
 */

import { RunOutOfTimeError } from '../../core/run-out-of-time-error.js';
import { type BackoffPolicy, backoffDelayMs, type Sleep } from '../../support/backoff.js';
import { type Deadline, untilAborted } from '../../support/deadline.js';
import { MidaxoApiError } from './midaxo-errors.js';

/** Thrown inside an attempt to ask for another one; what the caller gets, once attempts run out, is `error`. */
export class TransientFailure extends Error {
  override readonly name: string = 'TransientFailure';

  constructor(
    readonly error: MidaxoApiError,
    /** The server's `Retry-After`, already capped; replaces the backoff delay. */
    readonly retryAfterMs?: number,
  ) {
    super(error.message, { cause: error });
  }
}

/**
 * Time the caller has left (a Lambda invocation's) and what one attempt may take of it: no wait starts
 * that would leave less, so the run fails cleanly rather than being killed mid-request.
 */
export interface TimeLimit {
  readonly remainingMs: () => number;
  readonly needMs: number;
  /** Aborts when the time is up or the caller is done: a wait in progress ends, no attempt starts. */
  readonly signal?: AbortSignal;
}

/** The caller's deadline as a limit on attempts that may take `needMs` each; none without a deadline. */
export function timeLimitOf(deadline: Deadline | undefined, needMs: number): TimeLimit | undefined {
  return deadline && { remainingMs: () => deadline.remainingMs(), needMs, signal: deadline.signal };
}

/**
 * Waits `waitMs` before an attempt, within the limit: when the wait and then one attempt would not fit
 * in the time left (or the time is up), or the limit's signal aborts during the wait, it rejects at once
 * with `outOfTime()`.
 */
export async function waitWithin(
  limit: TimeLimit | undefined,
  sleep: Sleep,
  waitMs: number,
  outOfTime: () => Error,
): Promise<void> {
  if (limit === undefined) return sleep(waitMs);
  if (limit.signal?.aborted === true || limit.remainingMs() < waitMs + limit.needMs) throw outOfTime();
  const signal = limit.signal;
  try {
    await untilAborted(sleep(waitMs, signal), signal);
  } catch (stopped: unknown) {
    if (signal?.aborted) throw outOfTime();
    throw stopped;
  }
}

export interface RetrySettings {
  readonly backoff: BackoffPolicy;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly deadline?: TimeLimit;
}

export async function withRetries<T>(attempt: () => Promise<T>, settings: RetrySettings): Promise<T> {
  const { deadline } = settings;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt();
    } catch (e: unknown) {
      if (!(e instanceof TransientFailure)) throw e;
      if (attemptNumber >= settings.backoff.maxAttempts) throw gaveUp(e.error, attemptNumber);
      const delayMs = e.retryAfterMs ?? backoffDelayMs(attemptNumber, settings.backoff, settings.random);
      await waitWithin(deadline, settings.sleep, delayMs, () => notRetried(e.error));
    }
  }
}

function notRetried(error: MidaxoApiError): RunOutOfTimeError {
  return new RunOutOfTimeError(
    `${error.message}; not retried: too little time left in this run for another attempt`,
    { cause: error },
  );
}

function gaveUp(error: MidaxoApiError, attempts: number): MidaxoApiError {
  return new MidaxoApiError(`${error.message}; gave up after ${attempts} attempts`, {
    status: error.status,
    retryable: true,
    processId: error.processId,
    request: error.request,
    cause: error,
  });
}

/**
 * The retry pacing of Midaxo requests: transient failures are retried with the shared exponential backoff,
 * or after the server's `Retry-After`, within the policy's attempts.
 */

import { RunOutOfTimeError } from '../../core/run-out-of-time-error.js';
import { type BackoffPolicy, backoffDelayMs, type Sleep } from '../../support/backoff.js';
import { untilAborted } from '../../support/deadline.js';
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

export interface RetrySettings {
  readonly backoff: BackoffPolicy;
  readonly sleep: Sleep;
  readonly random: () => number;
  /**
   * Time the caller has left (a Lambda invocation's); no retry starts that could not finish in it,
   * so the run fails cleanly rather than being killed mid-request. `needMs` is what one attempt may take.
   */
  readonly deadline?: {
    readonly remainingMs: () => number;
    readonly needMs: number;
    /** Aborts when the time is up or the caller is done: a wait in progress ends, no attempt starts. */
    readonly signal?: AbortSignal;
  };
}

export async function withRetries<T>(attempt: () => Promise<T>, settings: RetrySettings): Promise<T> {
  const { deadline } = settings;
  const signal = deadline?.signal;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt();
    } catch (e: unknown) {
      if (!(e instanceof TransientFailure)) throw e;
      if (attemptNumber >= settings.backoff.maxAttempts) throw gaveUp(e.error, attemptNumber);
      const delayMs = e.retryAfterMs ?? backoffDelayMs(attemptNumber, settings.backoff, settings.random);
      if (signal?.aborted || (deadline !== undefined && deadline.remainingMs() < delayMs + deadline.needMs)) {
        throw notRetried(e.error);
      }
      try {
        await untilAborted(settings.sleep(delayMs, signal), signal);
      } catch (stopped: unknown) {
        if (signal?.aborted) throw notRetried(e.error);
        throw stopped;
      }
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

import type { ProcessOutcome } from '../../shared/core/poll-run.js';

/** Fails the invocation so Lambda's error metric, the alarms and the schedule's retry see it. */
export class PollRunError extends Error {
  override name = 'PollRunError';

  static fromFailures(failures: readonly ProcessOutcome[], total: number): PollRunError {
    const lines = failures.map((outcome) => `- ${outcome.workspace}/${outcome.processId}: ${outcome.error}`);
    return new PollRunError(`${failures.length} of ${total} processes failed:\n${lines.join('\n')}`);
  }
}

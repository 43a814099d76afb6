/** The error of a publish that SNS did not fully accept. Layer: adapter. */
import { PartialPublishError } from '../../core/partial-publish-error.js';

export interface PublishFailure {
  readonly eventId: string;
  /** SNS's error code for the entry, or the name of the error that failed the whole call. */
  readonly code: string;
  readonly message?: string;
  /** SNS said the entry itself is at fault: resending it unchanged cannot succeed. */
  readonly senderFault?: boolean;
}

export class PublishError extends PartialPublishError {
  override readonly name = 'PublishError';

  constructor(
    readonly topicArn: string,
    readonly failures: readonly PublishFailure[],
    options?: ErrorOptions,
  ) {
    super(
      `SNS did not accept ${failures.length} event(s) for topic ${topicArn}: ${describe(failures)}`,
      failures.map((failure) => failure.eventId),
      options,
      failures.filter((failure) => failure.senderFault === true).map((failure) => failure.eventId),
    );
  }
}

function describe(failures: readonly PublishFailure[], shown = 10): string {
  const listed = failures
    .slice(0, shown)
    .map((failure) => `${failure.eventId} (${failure.code}${failure.message ? `: ${failure.message}` : ''})`)
    .join(', ');
  return failures.length > shown ? `${listed} and ${failures.length - shown} more` : listed;
}

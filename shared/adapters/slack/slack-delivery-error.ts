/** A Slack webhook post that did not succeed. Layer: adapter. Never carries the webhook URL. */
export class SlackDeliveryError extends Error {
  override readonly name = 'SlackDeliveryError';

  constructor(
    message: string,
    /** Slack's HTTP status of the last attempt; undefined when no response came. */
    readonly status: number | undefined,
    readonly attempts: number,
  ) {
    super(message);
  }
}

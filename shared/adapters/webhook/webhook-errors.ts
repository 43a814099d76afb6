/** Errors of the webhook adapter. Messages name a webhook by its number and origin only: URL paths often hold tokens. */

/** A webhook URL or signing secret that can never work; fix the configuration. */
export class WebhookConfigError extends Error {
  override readonly name = 'WebhookConfigError';
}

export interface WebhookFailure {
  readonly webhook: string;
  readonly eventId: string;
  readonly reason: string;
}

/** At least one event was not accepted by at least one webhook, after the retries it deserved. */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';

  constructor(
    readonly failures: readonly WebhookFailure[],
    options?: ErrorOptions,
  ) {
    const [first] = failures;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failed deliveries)` : '';
    super(
      first === undefined
        ? 'Webhook delivery failed'
        : `${first.webhook} did not accept event ${first.eventId}: ${first.reason}${more}`,
      options,
    );
  }
}

/** Errors of the webhook adapter. Messages name a webhook by its number and origin only: URL paths often hold tokens. */

/** A webhook URL or signing secret that can never work; fix the configuration. */
export class WebhookConfigError extends Error {
  override readonly name = 'WebhookConfigError';
}

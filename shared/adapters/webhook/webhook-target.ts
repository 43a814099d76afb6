/**
 * Which webhook URLs are acceptable and how they are named in messages. Layer: adapter.
 * https only, so events and signatures never cross a network in clear; http just for loopback receivers.
 */

import { sendableUrlProblem } from '../../support/secure-url.js';
import { WebhookConfigError } from './webhook-errors.js';

export interface WebhookTarget {
  readonly url: URL;
  /** `webhook 2 (https://hooks.example.com)`: the origin only, since paths and queries often carry tokens. */
  readonly label: string;
}

export function webhookTargets(urls: readonly string[]): WebhookTarget[] {
  return urls.map((text, index) => {
    const label = `webhook ${index + 1}`;
    const problem = sendableUrlProblem(text);
    if (problem !== undefined) throw new WebhookConfigError(`${label}: ${problem}`);
    const url = new URL(text);
    return { url, label: `${label} (${url.origin})` };
  });
}

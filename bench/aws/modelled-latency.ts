/**
 * Adds the modelled in-region latency to every request an AWS SDK client sends: a bench-only middleware
 * that sleeps, then lets the request go on. It sits after the retry and signing middleware, so each
 * attempt pays the round-trip once, as it would over the network.
 */
import { sleep as realSleep, type Sleep } from '../../shared/support/backoff.js';
import type { MiddlewareClient } from './middleware-client.js';

export const MODELLED_LATENCY_MIDDLEWARE = 'benchModelledLatency';

export function addModelledLatency(
  client: MiddlewareClient,
  latencyMs: number,
  sleep: Sleep = realSleep,
): void {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new RangeError(`Modelled latency must be zero or more milliseconds, got ${latencyMs}`);
  }
  client.middlewareStack.add(
    (next) => async (args) => {
      await sleep(latencyMs);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: MODELLED_LATENCY_MIDDLEWARE, override: true },
  );
}

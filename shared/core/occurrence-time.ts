/**
 * When a change happened, for the event's `time`: the project's own `updatedAt` when it is a plausible
 * RFC 3339 instant, else the moment the change was detected. "Plausible" keeps out what would mislead a
 * consumer ordering or displaying by time: a year other than four digits, a date before Midaxo's API
 * could have written it, or one further in the future than clock skew explains.
 */
import { parseRfc3339 } from './rfc3339.js';

const EARLIEST_PLAUSIBLE = Date.parse('2000-01-01T00:00:00Z');
const LARGEST_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

export function occurrenceTime(updatedAt: unknown, detectedAt: Date): string {
  const parsed = plausibleInstant(updatedAt, detectedAt);
  return new Date(parsed ?? detectedAt.getTime()).toISOString();
}

/** The instant `value` names, when it is an RFC 3339 timestamp between 2000 and a day after `now`. */
export function plausibleInstant(value: unknown, now: Date): number | undefined {
  const instant = parseRfc3339(value);
  if (instant === undefined) return undefined;
  if (instant < EARLIEST_PLAUSIBLE || instant > now.getTime() + LARGEST_FUTURE_SKEW_MS) return undefined;
  return instant;
}

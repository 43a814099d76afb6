/** The token scenario's part of the report, and its check: with the cache, a token per lifetime at most. */
import { refreshMarginMs } from '../../shared/adapters/midaxo/token-provider.js';
import { TOKEN_DAY, type TokenRequestResults } from '../scenarios/token-requests.js';
import { count } from './figure-format.js';
import type { ReportFormat } from './report-format.js';
import { type Check, check } from './targets.js';

/** How long the provider uses a token of `lifetimeSeconds` before it asks for the next one. */
const usableSeconds = (lifetimeSeconds: number) =>
  lifetimeSeconds - refreshMarginMs(lifetimeSeconds * 1000) / 1000;

/** However many containers come and go, one token per usable lifetime over the day. */
export function tokenRequestChecks({ days }: TokenRequestResults): Check[] {
  return days.map((day) =>
    check(
      `token requests per day with the cache, ${hours(day.tokenLifetimeSeconds)} tokens`,
      day.withCache.tokenRequests,
      '<=',
      Math.ceil((TOKEN_DAY.minutes * 60) / usableSeconds(day.tokenLifetimeSeconds)),
    ),
  );
}

export function tokenRequestSection(
  { days }: TokenRequestResults,
  { table, heading }: ReportFormat,
): string[] {
  return [
    heading(
      `Token requests per day, one workspace polled every ${TOKEN_DAY.pollEveryMinutes} min, ` +
        `a cold start every ${TOKEN_DAY.coldStartEveryMinutes} min (simulated time, stand-in auth server)`,
    ),
    table(
      [
        'token lifetime',
        'polls',
        'cold starts',
        'token requests, no cache',
        'with the cache',
        'cache GetItem / UpdateItem',
      ],
      days.map((day) => [
        hours(day.tokenLifetimeSeconds),
        count(day.polls),
        count(day.coldStarts),
        count(day.withoutCache.tokenRequests),
        count(day.withCache.tokenRequests),
        `${count(day.withCache.cacheReads)} / ${count(day.withCache.cacheWrites)}`,
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  ];
}

const hours = (seconds: number) => `${seconds / 3600} h`;

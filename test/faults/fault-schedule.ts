/**
 * What the fault-injection suite decides between its runs, drawn from the seed alone before anything
 * runs: the same seed gives the same schedule exactly. The faults drawn per request (which listing gets
 * a 429, which SNS call is throttled) are not part of it: the poller works on several pages at once, so
 * the order of its requests, and with it which of them a seeded stream hits, follows the timing of
 * DynamoDB Local and the network; those figures vary from run to run (README, "Robustness").
 */
import { intBetween, mulberry32 } from '../../sandbox/seeded-random.js';

export const DEFAULT_FAULT_SEED = 20_261_127;
export const FAULTY_RUNS = 36;
/** Within the overlap, as the notifier promises to absorb. */
export const MAX_SKEW_SECONDS = 240;

export interface RunPlan {
  /** Seconds the clock moves before the run. */
  readonly advanceSeconds: number;
  /** How far the server's clock is ahead (or behind, when negative) during the run. */
  readonly skewSeconds: number;
  /** The most edits, creations and deletions made before the run. */
  readonly maxChanges: number;
  readonly revokeTokens: boolean;
  readonly unauthorized: boolean;
  readonly rateLimited: boolean;
  /** SNS throttles every call from this one on, when set. */
  readonly outageAfterCalls?: number;
  /** Every attempt of this listing request fails, so the run gives up part-way; 0 for none. */
  readonly giveUpAtListing: number;
  readonly mode: 'poll' | 'reconcile';
  /** The Lambda's remaining time runs out after a few pages. */
  readonly dwindling: boolean;
}

export interface ScheduleSummary {
  readonly reconciles: number;
  readonly revocations: number;
  readonly unauthorized: number;
  readonly rateLimited: number;
  readonly outages: number;
  readonly forcedGiveUps: number;
  readonly dwindling: number;
  readonly minSkewSeconds: number;
  readonly maxSkewSeconds: number;
}

export function planFaultRuns(seed: number): RunPlan[] {
  const random = mulberry32(seed ^ 0x5c4e_d01e);
  return Array.from({ length: FAULTY_RUNS }, (_, i) => {
    const advanceSeconds = intBetween(random, 60, 600);
    const skewSeconds = intBetween(random, -MAX_SKEW_SECONDS, MAX_SKEW_SECONDS);
    const maxChanges = random() < 0.15 ? 25 : 5;
    const revokeTokens = random() < 0.1;
    const unauthorized = random() < 0.1;
    const rateLimited = random() < 0.05;
    const outageAfterCalls = random() < 0.12 ? intBetween(random, 0, 3) : undefined;
    const giveUpAtListing = random() < 0.1 ? intBetween(random, 1, 4) : 0;
    const mode = i % 6 === 5 || random() < 0.08 ? 'reconcile' : 'poll';
    const dwindling = random() < 0.15;
    return {
      advanceSeconds,
      skewSeconds,
      maxChanges,
      revokeTokens,
      unauthorized,
      rateLimited,
      ...(outageAfterCalls === undefined ? {} : { outageAfterCalls }),
      giveUpAtListing,
      mode,
      dwindling,
    };
  });
}

export function summarizeSchedule(plans: readonly RunPlan[]): ScheduleSummary {
  const count = (keep: (plan: RunPlan) => boolean) => plans.filter(keep).length;
  const skews = plans.map((plan) => plan.skewSeconds);
  return {
    reconciles: count((plan) => plan.mode === 'reconcile'),
    revocations: count((plan) => plan.revokeTokens),
    unauthorized: count((plan) => plan.unauthorized),
    rateLimited: count((plan) => plan.rateLimited),
    outages: count((plan) => plan.outageAfterCalls !== undefined),
    forcedGiveUps: count((plan) => plan.giveUpAtListing > 0),
    dwindling: count((plan) => plan.dwindling),
    minSkewSeconds: Math.min(...skews),
    maxSkewSeconds: Math.max(...skews),
  };
}

/** The sentence README.md states of the default seed's schedule, so a test can hold the two together. */
export function describeSchedule(plans: readonly RunPlan[]): string {
  const summary = summarizeSchedule(plans);
  return (
    `${plans.length} faulty runs, ${summary.reconciles} of them reconciles and ${summary.dwindling} short of ` +
    `time; token revocations ${summary.revocations}, forced 401 answers ${summary.unauthorized}, forced 429 ` +
    `answers ${summary.rateLimited}, SNS outages ${summary.outages}, listings failed on every attempt ` +
    `${summary.forcedGiveUps}; server clock skew ${summary.minSkewSeconds}..${summary.maxSkewSeconds} s`
  );
}

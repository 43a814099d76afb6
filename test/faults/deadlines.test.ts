/**
 * The poller keeps its invocation's deadline, as Lambda enforces it: a token endpoint asking to wait
 * for years, one that never answers, and a replay of more events than the time left allows. Nothing the
 * handler started runs on after it returned (on Lambda it would wake up inside the next invocation).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import type { ProcessOutcome } from '../../shared/core/poll-run.js';
import { lambdaContext } from '../lambdas/poller/lambda-context.js';
import { dwindlingContext, type PollerHarness, startPollerHarness } from './poller-harness.js';

const PROCESS = 'process-deadlines';
const PROJECTS = 600;
const SINCE_1970 = { mode: 'replay', since: '1970-01-01T00:00:00Z' };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deadlines', () => {
  let harness: PollerHarness;
  let recordedIds: Set<string>;

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [PROCESS]: sampleProjects(PROJECTS) },
      env: { PUBLISH_BASELINE: 'true', PAGE_SIZE: '100' },
    });
    await harness.invoke({ mode: 'poll' });
    recordedIds = new Set(harness.sns.accepted.map((delivery) => delivery.event.id));
    // Replays read the log up to the clock's now, exclusively.
    harness.clock.advance(60);
  }, 120_000);

  afterAll(async () => {
    await harness.close();
  });

  /** Events SNS accepts from now on, as they come. */
  function acceptedFromNow(): () => string[] {
    const start = harness.sns.accepted.length;
    return () => harness.sns.accepted.slice(start).map((delivery) => delivery.event.id);
  }

  function only(outcomes: readonly ProcessOutcome[]): ProcessOutcome {
    expect(outcomes).toHaveLength(1);
    return outcomes[0] as ProcessOutcome;
  }

  it('has every change of the baseline recorded', () => {
    expect(recordedIds.size).toBe(PROJECTS);
  });

  it('stops a replay that runs out of time, says where it got to, and the next replay from there leaves no gap', async () => {
    const sent = acceptedFromNow();
    // The time left drops at every look: two batches fit in it, whatever the machine's speed.
    const first = only((await harness.invoke(SINCE_1970, dwindlingContext(60_000, 15_000))).processes);
    const sentByFirst = sent();

    expect(first).toMatchObject({ mode: 'replay', complete: false, published: sentByFirst.length });
    expect(sentByFirst.length).toBeGreaterThan(0);
    expect(sentByFirst.length).toBeLessThan(PROJECTS);
    expect(first.error === undefined && first.resumeFrom).toMatch(/^\d{4}-\d\d-\d\dT/);

    const resumeFrom = first.error === undefined ? first.resumeFrom : undefined;
    const second = only((await harness.invoke({ mode: 'replay', since: resumeFrom })).processes);

    expect(second).toMatchObject({ complete: true });
    expect(new Set(sent())).toEqual(recordedIds);
  });

  it('publishes nothing after the handler returned from a replay since 1970 with 300 ms left, and a replay from its resume point completes it', async () => {
    const sent = acceptedFromNow();
    const first = only((await harness.invoke(SINCE_1970, lambdaContext(300))).processes);
    const sentWhenReturned = sent().length;
    await pause(500);

    expect(sent()).toHaveLength(sentWhenReturned);
    expect(first.error).toBeUndefined();
    if (first.error === undefined && !first.complete) {
      expect(first.resumeFrom).toBeDefined();
      await harness.invoke({ mode: 'replay', since: first.resumeFrom });
    }
    expect(new Set(sent())).toEqual(recordedIds);
  });

  describe('token endpoint', () => {
    /** Fetch calls to the token endpoint, each with the signal it was sent with. */
    function tokenEndpoint(answer: (signal: AbortSignal) => Promise<Response>) {
      const requests: AbortSignal[] = [];
      const handler = harness.createHandler({
        wrapFetch: (fetch) => (input, init) => {
          if (String(input) !== harness.sandbox.authUrl) return fetch(input, init);
          const signal = init?.signal ?? new AbortController().signal;
          requests.push(signal);
          return answer(signal);
        },
      });
      return { handler, requests };
    }

    it('does not wait out a 429 with Retry-After: 1000000000, and asks for no token after the invocation', async () => {
      // A new container would otherwise take the token an earlier one cached, and ask for none.
      await harness.forgetCachedTokens();
      const endpoint = tokenEndpoint(async () =>
        Response.json({}, { status: 429, headers: { 'retry-after': '1000000000' } }),
      );

      const summary = await harness.invoke({ mode: 'poll' }, lambdaContext(20_000), endpoint.handler);
      const requestsWhenReturned = endpoint.requests.length;
      await pause(200);

      expect(only(summary.processes)).toMatchObject({ complete: false });
      expect(requestsWhenReturned).toBe(1);
      expect(endpoint.requests).toHaveLength(requestsWhenReturned);
    });

    it('aborts a token request that gets no answer when the invocation is about to end', async () => {
      // A new container would otherwise take the token an earlier one cached, and ask for none.
      await harness.forgetCachedTokens();
      const endpoint = tokenEndpoint(
        (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
      );

      const summary = await harness.invoke({ mode: 'poll' }, lambdaContext(1_000), endpoint.handler);

      expect(only(summary.processes)).toMatchObject({ complete: false });
      expect(endpoint.requests).toHaveLength(1);
      expect(endpoint.requests[0]?.aborted).toBe(true);
    });
  });
});

/**
 * One rate-limit pause per workspace: a 429 to one process holds back what every process of the
 * workspace sends next, for the server's Retry-After and never longer than the cap.
 */
import { describe, expect, it } from 'vitest';
import { createRateLimitPause } from '../../../shared/adapters/midaxo/rate-limit-pause.js';
import { RunOutOfTimeError } from '../../../shared/core/run-out-of-time-error.js';

/** A clock that sleeping moves forward, so waits are measured without waiting. */
function fakeTime() {
  let nowMs = 1_000_000;
  const slept: number[] = [];
  return {
    nowMs: () => nowMs,
    sleep: async (ms: number) => {
      slept.push(ms);
      const until = nowMs + ms;
      await Promise.resolve();
      nowMs = Math.max(nowMs, until);
    },
    slept,
  };
}

describe('the rate-limit pause shared by a workspace', () => {
  it('lets requests through at once while no 429 has come', async () => {
    const time = fakeTime();
    const pause = createRateLimitPause(time);

    await pause.waitTurn();

    expect(time.slept).toEqual([]);
  });

  it("holds back every process's next request for the Retry-After one 429 gave, then none after it", async () => {
    const time = fakeTime();
    const pause = createRateLimitPause(time);

    pause.pauseFor(4_000);
    await Promise.all([pause.waitTurn(), pause.waitTurn(), pause.waitTurn()]);
    await pause.waitTurn();

    expect(time.slept).toEqual([4_000, 4_000, 4_000]);
  });

  it('never pauses the others longer than the cap, however long the Retry-After', async () => {
    const time = fakeTime();
    const pause = createRateLimitPause({ ...time, maxPauseMs: 30_000 });

    pause.pauseFor(1_000_000_000);
    await pause.waitTurn();

    expect(time.slept).toEqual([30_000]);
  });

  it('pauses 1 s for a 429 without Retry-After, and keeps the later end when pauses overlap', async () => {
    const time = fakeTime();
    const pause = createRateLimitPause(time);

    pause.pauseFor(undefined);
    pause.pauseFor(500);
    await pause.waitTurn();

    expect(time.slept).toEqual([1_000]);
  });

  it('fails a request as out of time rather than sleep past the run', async () => {
    const time = fakeTime();
    const pause = createRateLimitPause({ ...time, deadline: { remainingMs: () => 10_000, needMs: 8_000 } });

    pause.pauseFor(5_000);

    await expect(pause.waitTurn()).rejects.toBeInstanceOf(RunOutOfTimeError);
    expect(time.slept).toEqual([]);
  });
});

describe('the rate-limit pause under the run deadline', () => {
  it('stops a pause in progress as out of time once the run ends, instead of sleeping on after it', async () => {
    const time = fakeTime();
    const ended = new AbortController();
    const sleepUntilAborted = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
    const pause = createRateLimitPause({
      nowMs: time.nowMs,
      sleep: sleepUntilAborted,
      deadline: { remainingMs: () => 300_000, needMs: 30_000, signal: ended.signal },
    });

    pause.pauseFor(5_000);
    const waiting = pause.waitTurn();
    ended.abort(new DOMException('The invocation has ended', 'AbortError'));

    await expect(waiting).rejects.toBeInstanceOf(RunOutOfTimeError);
  });
});

/**
 * A replay within a time budget, as an operator lives through it: it stops when time runs out, says
 * where it got to, and the next replay from there leaves no event out.
 */
import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../shared/core/change-event.js';
import { pollProcess } from '../../../shared/core/poll-process.js';
import type { EventPublisher, RecordedChange } from '../../../shared/core/ports.js';
import { ReplayError, replayEvents } from '../../../shared/core/replay-events.js';
import { type FakeProject, fakePorts, TEST_SETTINGS } from '../../fakes/in-memory-ports.js';

const PROCESS = 'process-1';
const SINCE_1970 = { since: '1970-01-01T00:00:00.000Z' };

/** Three polls of 90 changes each: 270 recorded events at three recorded times. */
async function recordedHistory() {
  const ports = fakePorts(50);
  const { clock, source, store } = ports;
  const deps = { ...ports, processes: store };
  for (let round = 0; round < 3; round++) {
    for (let n = 0; n < 90; n++) {
      const id = `p${round * 90 + n}`;
      source.put({ id, stage: 'LOI', updatedAt: clock.advance(0.001).toISOString() } as FakeProject);
    }
    clock.advance(60);
    await pollProcess(deps, { ...TEST_SETTINGS, publishBaseline: true }, PROCESS);
  }
  ports.publisher.published.length = 0;
  return { ...ports, recordedIds: store.recorded.map((change) => change.event.id) };
}

function recordedAtOf(
  recorded: readonly RecordedChange[],
  event: ChangeEvent | undefined,
): string | undefined {
  return recorded.find((change) => change.event.id === event?.id)?.recordedAt;
}

describe('replay within a time budget', () => {
  it('stops when the time is up, reports the last recorded time it sent, and a replay from there leaves no gap', async () => {
    const { store, publisher, recordedIds } = await recordedHistory();
    expect(recordedIds).toHaveLength(270);
    // Time runs out once 150 events went out: the batch under way then is the last.
    const budget = { remainingMs: () => (publisher.published.length < 150 ? 1_000 : 0) };

    const first = await replayEvents({ store, publisher, budget }, PROCESS, SINCE_1970);
    const sentFirst = publisher.published.map((event) => event.id);
    const lastSent = store.recorded.find((change) => change.event.id === sentFirst.at(-1));
    const resumed = await replayEvents({ store, publisher }, PROCESS, { since: first.resumeFrom ?? '' });

    expect(first.complete).toBe(false);
    expect(first.published).toBe(sentFirst.length);
    expect(sentFirst.length).toBeGreaterThanOrEqual(150);
    expect(sentFirst.length).toBeLessThan(270);
    expect(first.resumeFrom).toBe(lastSent?.recordedAt);
    expect(resumed).toMatchObject({ complete: true });
    expect(new Set(publisher.published.map((event) => event.id))).toEqual(new Set(recordedIds));
    // Only events recorded at the resume point itself, and sent before it stopped, went out twice.
    const sentAtResumePoint = store.recorded.filter(
      (change) => change.recordedAt === first.resumeFrom && sentFirst.includes(change.event.id),
    );
    expect(publisher.published.length - recordedIds.length).toBe(sentAtResumePoint.length);
  });

  it('stops between batches when the budget says the invocation ended, sending nothing more', async () => {
    const { store, publisher } = await recordedHistory();
    const ended = new AbortController();
    ended.abort(new DOMException('The invocation has ended', 'AbortError'));

    const summary = await replayEvents(
      { store, publisher, budget: { remainingMs: () => 60_000, signal: ended.signal } },
      PROCESS,
      SINCE_1970,
    );

    expect(summary).toMatchObject({ complete: false, published: 0, resumeFrom: SINCE_1970.since });
    expect(publisher.published).toEqual([]);
  });

  it('treats a publish the deadline cut short as the stopping point, not as a failure', async () => {
    const { store } = await recordedHistory();
    const deadline = new AbortController();
    const accepted: ChangeEvent[] = [];
    const publisher: EventPublisher = {
      async publish(events, options) {
        if (accepted.length >= 100) {
          deadline.abort(new DOMException('No answer within 10 ms', 'TimeoutError'));
          throw options?.signal?.reason;
        }
        accepted.push(...events);
      },
    };

    const summary = await replayEvents(
      { store, publisher, budget: { remainingMs: () => 60_000, signal: deadline.signal } },
      PROCESS,
      SINCE_1970,
    );

    expect(summary).toMatchObject({ complete: false, published: accepted.length });
    expect(summary.resumeFrom).toBe(recordedAtOf(store.recorded, accepted.at(-1)));
  });

  it('names where to go on when publishing fails part of the way', async () => {
    const { store } = await recordedHistory();
    const accepted: ChangeEvent[] = [];
    const publisher: EventPublisher = {
      async publish(events) {
        if (accepted.length > 0) throw new Error('topic unavailable');
        accepted.push(...events);
      },
    };

    const error = await replayEvents({ store, publisher }, PROCESS, SINCE_1970).catch((e: unknown) => e);

    const resumeFrom = recordedAtOf(store.recorded, accepted.at(-1));
    expect(error).toBeInstanceOf(ReplayError);
    expect(error).toMatchObject({ resumeFrom });
    expect(String(error)).toContain(`topic unavailable; replay again with since ${resumeFrom}`);
  });
});

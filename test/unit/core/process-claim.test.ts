import { describe, expect, it } from 'vitest';
import { underProcessClaim } from '../../../shared/core/process-claim.js';
import { emptySummary } from '../../../shared/core/scan-listing.js';
import {
  InMemoryProjectSource,
  InMemoryStateStore,
  ManualClock,
  RecordingPublisher,
  TEST_SETTINGS,
} from '../../fakes/in-memory-ports.js';

describe('underProcessClaim', () => {
  it('opens the outbox with one request however many pages ask for it at once, and closes it at release', async () => {
    const clock = new ManualClock(new Date('2026-12-01T07:00:00.000Z'));
    const store = new InMemoryStateStore(clock);
    const opening: string[] = [];
    const openOutbox = store.openOutbox.bind(store);
    store.openOutbox = async (processId, owner, since) => {
      opening.push(since);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return openOutbox(processId, owner, since);
    };
    const deps = {
      source: new InMemoryProjectSource(),
      store,
      processes: store,
      publisher: new RecordingPublisher(),
      clock,
    };

    await underProcessClaim(deps, TEST_SETTINGS, 'p1', 'incremental', async (run) => {
      await Promise.all([run.openOutbox(), run.openOutbox(), run.openOutbox()]);
      await run.openOutbox();
      expect(store.outboxes.get('p1')).toBe('2026-12-01T07:00:00.000Z');
      return { summary: { ...emptySummary('p1', 'incremental'), complete: true }, end: {} };
    });

    expect(opening).toEqual(['2026-12-01T07:00:00.000Z']);
    expect(store.outboxes.has('p1')).toBe(false);
  });
});

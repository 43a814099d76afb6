import { describe, expect, it } from 'vitest';
import { underProcessClaim } from '../../../shared/core/process-claim.js';
import { emptySummary } from '../../../shared/core/scan-listing.js';
import { fakePorts, TEST_SETTINGS, TEST_START } from '../../fakes/in-memory-ports.js';

describe('underProcessClaim', () => {
  it('opens the outbox with one request however many pages ask for it at once, and closes it at release', async () => {
    const { clock, source, store, publisher } = fakePorts();
    const opening: string[] = [];
    const openOutbox = store.openOutbox.bind(store);
    store.openOutbox = async (processId, owner, since) => {
      opening.push(since);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return openOutbox(processId, owner, since);
    };
    const deps = { source, store, processes: store, publisher, clock };

    await underProcessClaim(deps, TEST_SETTINGS, 'p1', 'incremental', async (run) => {
      await Promise.all([run.openOutbox(), run.openOutbox(), run.openOutbox()]);
      await run.openOutbox();
      expect(store.outboxes.get('p1')).toBe(TEST_START.toISOString());
      return { summary: { ...emptySummary('p1', 'incremental'), complete: true }, end: {} };
    });

    expect(opening).toEqual([TEST_START.toISOString()]);
    expect(store.outboxes.has('p1')).toBe(false);
  });
});

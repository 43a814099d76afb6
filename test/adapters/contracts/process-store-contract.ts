/**
 * What every ProcessStore adapter must do with the claim, the watermark, the checkpoint and the outbox
 * mark, run against each real store (DynamoDB Local, SQLite) by its test file. Claims are taken and
 * given back in turn here; racing claims are each store's own tests.
 */
import { describe, expect, it } from 'vitest';
import type { Checkpoint, ProcessClaim, ProcessStore, RunEnd } from '../../../shared/core/ports.js';
import type { ManualClock } from '../../fakes/in-memory-ports.js';

export const SAMPLE_CHECKPOINT: Checkpoint = {
  window: { updatedAfter: '2026-11-27T11:00:00.000Z', updatedBefore: '2026-11-27T12:00:00.000Z' },
  after: 'cursor-42',
  baseline: false,
};

let processCount = 0;
function freshProcessId(): string {
  processCount++;
  return `process-contract-${processCount}-${Date.now()}`;
}

/** Lease end far enough ahead for any test; the clock of the store under test may be a manual one. */
const UNTIL = new Date('2099-01-01T00:00:00.000Z');

/** One run: claims the process, gives it back with `end`, and returns what the claim saw. */
export async function runOnce(
  store: ProcessStore,
  processId: string,
  end: RunEnd = { outboxDelivered: true },
  owner = 'run',
): Promise<ProcessClaim | undefined> {
  const claim = await store.claim(processId, owner, UNTIL);
  await store.release(processId, owner, end);
  return claim;
}

/** `clock` is the one the store's leases expire by. */
export function describeProcessStoreContract(
  name: string,
  openStore: () => ProcessStore,
  clock: ManualClock,
): void {
  const inSeconds = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);

  describe(`${name}: process record`, () => {
    it('hands a claim over once released or expired, and not before; gives back only its own', async () => {
      const store = openStore();
      const processId = freshProcessId();
      expect(await store.claim(processId, 'run-a', inSeconds(60))).toEqual({});
      expect(await store.claim(processId, 'run-b', inSeconds(60))).toBeUndefined();
      clock.advance(59);
      expect(await store.claim(processId, 'run-b', inSeconds(60))).toBeUndefined();
      clock.advance(2);
      expect(await store.claim(processId, 'run-b', inSeconds(60))).toBeDefined();
      // The run whose claim was taken over still saves its progress, but cannot give back run-b's claim.
      await store.release(processId, 'run-a', {
        watermark: '2026-11-27T12:00:00.000Z',
        outboxDelivered: true,
      });
      expect(await store.claim(processId, 'run-c', inSeconds(60))).toBeUndefined();
      await store.release(processId, 'run-b', { outboxDelivered: true });
      expect(await store.claim(processId, 'run-c', inSeconds(60))).toMatchObject({
        watermark: '2026-11-27T12:00:00.000Z',
      });
    });

    it('has nothing to say about a process it has never seen', async () => {
      expect(await runOnce(openStore(), freshProcessId())).toEqual({});
    });

    it('moves the watermark forward and never back', async () => {
      const store = openStore();
      const processId = freshProcessId();

      await runOnce(store, processId, { watermark: '2026-05-01T10:00:00.000Z', outboxDelivered: true });
      await runOnce(store, processId, { watermark: '2026-05-01T09:59:59.999Z', outboxDelivered: true });
      const afterOlder = (await runOnce(store, processId))?.watermark;
      await runOnce(store, processId, { watermark: '2026-05-01T10:05:00.000Z', outboxDelivered: true });

      expect(afterOlder).toBe('2026-05-01T10:00:00.000Z');
      expect((await runOnce(store, processId))?.watermark).toBe('2026-05-01T10:05:00.000Z');
    });

    it('compares watermarks as instants whatever offset they were written with', async () => {
      const store = openStore();
      const processId = freshProcessId();

      await runOnce(store, processId, { watermark: '2026-05-01T12:00:00+02:00', outboxDelivered: true });
      await runOnce(store, processId, { watermark: '2026-05-01T09:30:00Z', outboxDelivered: true });

      expect((await runOnce(store, processId))?.watermark).toBe('2026-05-01T10:00:00.000Z');
    });

    it('refuses a watermark that is not an instant and keeps the one it had', async () => {
      const store = openStore();
      const processId = freshProcessId();
      await runOnce(store, processId, { watermark: '2026-05-01T10:00:00.000Z', outboxDelivered: true });

      await expect(
        runOnce(store, processId, { watermark: 'yesterday', outboxDelivered: true }, 'other-run'),
      ).rejects.toThrow(/watermark of process .* ISO-8601 instant, got "yesterday"/);
      expect((await runOnce(store, processId, undefined, 'other-run'))?.watermark).toBe(
        '2026-05-01T10:00:00.000Z',
      );
    });

    it('saves a checkpoint, hands it to the next claim, keeps it when left out and clears it on null', async () => {
      const store = openStore();
      const processId = freshProcessId();

      await runOnce(store, processId, { checkpoint: SAMPLE_CHECKPOINT, outboxDelivered: true });
      const resumed = await runOnce(store, processId, { outboxDelivered: true });
      const stillThere = await runOnce(store, processId, {
        watermark: '2026-11-27T12:00:00.000Z',
        checkpoint: null,
        outboxDelivered: true,
      });
      const afterClear = await runOnce(store, processId);

      expect(resumed?.checkpoint).toEqual(SAMPLE_CHECKPOINT);
      expect(stillThere?.checkpoint).toEqual(SAMPLE_CHECKPOINT);
      expect(afterClear).toEqual({ watermark: '2026-11-27T12:00:00.000Z' });
    });

    it('opens the outbox once, keeps it open after a failed run and closes it once delivered', async () => {
      const store = openStore();
      const processId = freshProcessId();

      await store.claim(processId, 'run-1', UNTIL);
      await store.openOutbox(processId, 'run-1', '2026-11-27T10:00:00.000Z');
      await store.openOutbox(processId, 'run-1', '2026-11-27T10:03:00.000Z');
      await store.release(processId, 'run-1', { outboxDelivered: false });
      const afterFailure = await runOnce(store, processId, { outboxDelivered: false });
      const afterDelivery = await runOnce(store, processId, { outboxDelivered: true });
      const later = await runOnce(store, processId);

      expect(afterFailure?.outboxSince).toBe('2026-11-27T10:00:00.000Z');
      expect(afterDelivery?.outboxSince).toBe('2026-11-27T10:00:00.000Z');
      expect(later?.outboxSince).toBeUndefined();
    });
  });
}

import { describe, expect, it } from 'vitest';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';
import type { ChangeEvent } from '../../../shared/core/change-event.js';
import { fitEvent } from '../../../shared/core/fit-event.js';

const big = 'x'.repeat(400 * 1024);

function eventWithLargeField(): ChangeEvent {
  return buildChangeEvent({
    kind: 'updated',
    sourceBase: 'https://api.app-eu.midaxo.com',
    processId: 'p',
    projectId: 'a',
    hash: 'h',
    sequence: 1,
    changes: [
      { path: '/notes', before: 'short', after: big },
      { path: '/stage', before: 'LOI', after: 'Closing' },
    ],
    project: { id: 'a', notes: big, stage: 'Closing' },
    detectedAt: new Date('2026-11-27T00:00:00Z'),
  });
}

const under = (bytes: number) => (event: ChangeEvent) => Buffer.byteLength(JSON.stringify(event)) <= bytes;

describe('fitEvent', () => {
  it('leaves an event that fits untouched', () => {
    const event = eventWithLargeField();

    expect(fitEvent(event, () => true)).toBe(event);
  });

  it('drops the snapshot first and keeps the changes whole when that is enough', () => {
    const fitted = fitEvent(eventWithLargeField(), under(420 * 1024));

    expect(fitted.data).toMatchObject({ project: null, truncated: true });
    expect(fitted.data.changes[0]?.after).toBe(big);
  });

  it('shortens long values to fit 256 KB, keeping short ones and every path', () => {
    const fitted = fitEvent(eventWithLargeField(), under(256 * 1024));

    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(256 * 1024);
    expect(fitted.data.truncated).toBe(true);
    expect(fitted.data.changes.map((change) => change.path)).toEqual(['/notes', '/stage']);
    expect(String(fitted.data.changes[0]?.after)).toMatch(/^x+…$/);
    expect(fitted.data.changes[1]).toEqual({ path: '/stage', before: 'LOI', after: 'Closing' });
    expect(fitted.id).toBe(eventWithLargeField().id);
  });

  it('still returns an event naming the changed paths when nothing else fits', () => {
    const fitted = fitEvent(eventWithLargeField(), (event) => JSON.stringify(event).length < 450);

    expect(fitted.data.changes).toEqual([{ path: '/notes' }, { path: '/stage' }]);
  });
});

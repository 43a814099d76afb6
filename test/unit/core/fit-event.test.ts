import { describe, expect, it } from 'vitest';
import { buildChangeEvent } from '../../../shared/core/build-change-event.js';
import { type ChangeEvent, projectNameOf } from '../../../shared/core/change-event.js';
import { changesLeftOut, fitEvent } from '../../../shared/core/fit-event.js';

const big = 'x'.repeat(400 * 1024);

const FACTS = {
  kind: 'updated',
  sourceBase: 'https://api.app-eu.midaxo.com',
  processId: 'p',
  projectId: 'a',
  hash: 'h',
  sequence: 1,
  detectedAt: new Date('2026-11-27T00:00:00Z'),
} as const;

function eventWithLargeField(): ChangeEvent {
  return buildChangeEvent({
    ...FACTS,
    changes: [
      { path: '/notes', before: 'short', after: big },
      { path: '/stage', before: 'LOI', after: 'Closing' },
    ],
    project: { id: 'a', name: 'Project Falcon', notes: big, stage: 'Closing' },
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

  it('keeps the project’s name beside the dropped snapshot', () => {
    const fitted = fitEvent(eventWithLargeField(), under(420 * 1024));

    expect(fitted.data.projectName).toBe('Project Falcon');
    expect(projectNameOf(fitted)).toBe('Project Falcon');
  });

  it('keeps as many of the first changes as fit, each whole in shape, and counts the ones left out', () => {
    const changes = Array.from({ length: 12_000 }, (_, n) => ({
      path: `/customFields/field${n}`,
      before: `old value ${n}`,
      after: `new value ${n}`,
    }));
    const event = buildChangeEvent({ ...FACTS, changes, project: { id: 'a', name: 'Project Falcon' } });

    const fitted = fitEvent(event, under(256 * 1024));

    const kept = fitted.data.changes.length;
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(256 * 1024);
    expect(kept).toBeGreaterThan(1_000);
    expect(fitted.data.changes).toEqual(changes.slice(0, kept));
    expect(fitted.data.omittedChanges).toBe(12_000 - kept);
    expect(fitted.data.projectName).toBe('Project Falcon');
    expect(changesLeftOut(fitted)).toBe(true);
    // One more change would not have fitted: the most that fit are kept.
    const oneMore = { ...fitted, data: { ...fitted.data, changes: changes.slice(0, kept + 1) } };
    expect(under(256 * 1024)(oneMore)).toBe(false);
  });

  it('still returns an event naming the project and its name when no change fits', () => {
    const fitted = fitEvent(eventWithLargeField(), (event) => JSON.stringify(event).length < 520);

    expect(fitted.data).toMatchObject({ changes: [], omittedChanges: 2, projectName: 'Project Falcon' });
  });
});

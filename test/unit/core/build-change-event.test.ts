import { describe, expect, it } from 'vitest';
import { buildChangeEvent, type ChangeFacts } from '../../../shared/core/build-change-event.js';
import { changedFieldsOf } from '../../../shared/core/change-event.js';

const facts: ChangeFacts = {
  kind: 'updated',
  sourceBase: 'https://api.app-eu.midaxo.com/',
  processId: 'proc 1',
  projectId: 'p-42',
  hash: 'abc',
  sequence: 1,
  changes: [
    { path: '/stage', before: 'LOI', after: 'Closing' },
    { path: '/owner/name', before: 'Ann', after: 'Bob' },
  ],
  project: { id: 'p-42', stage: 'Closing', updatedAt: '2026-11-27T10:00:00Z' },
  detectedAt: new Date('2026-11-27T10:05:00Z'),
};

describe('buildChangeEvent', () => {
  it('builds a CloudEvents 1.0 document whose source is the project and whose sequence is fixed-width', () => {
    expect(buildChangeEvent(facts)).toMatchObject({
      specversion: '1.0',
      source: 'https://api.app-eu.midaxo.com/processes/proc%201/projects/p-42',
      sequence: '00000000000000000001',
      type: 'com.midaxo.project.updated',
      subject: 'p-42',
      time: '2026-11-27T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { processId: 'proc 1', projectId: 'p-42', changes: facts.changes, project: facts.project },
    });
  });

  it('gives the same change the same id and another change another id', () => {
    const id = buildChangeEvent(facts).id;

    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(buildChangeEvent({ ...facts, detectedAt: new Date() }).id).toBe(id);
    expect(buildChangeEvent({ ...facts, hash: 'def' }).id).not.toBe(id);
    expect(buildChangeEvent({ ...facts, kind: 'deleted' }).id).not.toBe(id);
  });

  it('gives a state that recurs a new id: the sequence differs', () => {
    const first = buildChangeEvent(facts);
    const recurring = buildChangeEvent({ ...facts, sequence: 3 });

    expect(recurring.id).not.toBe(first.id);
    expect(recurring.sequence > first.sequence).toBe(true);
  });

  it.each([
    ['+010000-01-01T00:00:00Z', 'a six-digit year'],
    ['0', 'a bare number Date.parse takes for 2000'],
    ['1999-12-31T23:59:59Z', 'a date before the API could have written it'],
    ['2026-11-29T10:05:00Z', 'more than a day in the future'],
    ['2026-11-27', 'a date without a time'],
  ])('uses the detection time instead of %s (%s)', (updatedAt) => {
    const event = buildChangeEvent({ ...facts, project: { id: 'p-42', updatedAt } });

    expect(event.time).toBe('2026-11-27T10:05:00.000Z');
  });

  it('normalises a plausible updatedAt with an offset to UTC', () => {
    const event = buildChangeEvent({
      ...facts,
      project: { id: 'p-42', updatedAt: '2026-11-27T12:00:00+02:00' },
    });

    expect(event.time).toBe('2026-11-27T10:00:00.000Z');
  });

  it('uses the detection time when the project has no usable updatedAt', () => {
    expect(buildChangeEvent({ ...facts, project: { id: 'p-42', updatedAt: 'soon' } }).time).toBe(
      '2026-11-27T10:05:00.000Z',
    );
  });

  it('names the changed top-level fields for subscription filters', () => {
    expect(changedFieldsOf(buildChangeEvent(facts))).toEqual(['owner', 'stage']);
  });
});

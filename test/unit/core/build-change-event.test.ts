import { describe, expect, it } from 'vitest';
import { buildChangeEvent, type ChangeFacts } from '../../../shared/core/build-change-event.js';
import { changedFieldsOf } from '../../../shared/core/change-event.js';

const facts: ChangeFacts = {
  kind: 'updated',
  sourceBase: 'https://api.app-eu.midaxo.com/',
  processId: 'proc 1',
  projectId: 'p-42',
  hash: 'abc',
  changes: [
    { path: '/stage', before: 'LOI', after: 'Closing' },
    { path: '/owner/name', before: 'Ann', after: 'Bob' },
  ],
  project: { id: 'p-42', stage: 'Closing', updatedAt: '2026-11-27T10:00:00Z' },
  detectedAt: new Date('2026-11-27T10:05:00Z'),
};

describe('buildChangeEvent', () => {
  it('builds a CloudEvents 1.0 document naming instance, process and project', () => {
    expect(buildChangeEvent(facts)).toMatchObject({
      specversion: '1.0',
      source: 'https://api.app-eu.midaxo.com/processes/proc%201',
      type: 'com.midaxo.project.updated',
      subject: 'p-42',
      time: '2026-11-27T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { processId: 'proc 1', projectId: 'p-42', changes: facts.changes, project: facts.project },
    });
  });

  it('gives the same change the same id and another change another id', () => {
    const id = buildChangeEvent(facts).id;

    expect(buildChangeEvent({ ...facts, detectedAt: new Date() }).id).toBe(id);
    expect(buildChangeEvent({ ...facts, hash: 'def' }).id).not.toBe(id);
    expect(buildChangeEvent({ ...facts, kind: 'deleted' }).id).not.toBe(id);
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

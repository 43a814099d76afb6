import { describe, expect, it } from 'vitest';
import { toSnsMessage } from '../../shared/adapters/sns/sns-message.js';
import type { ChangeEvent } from '../../shared/core/change-event.js';
import {
  FilterPolicyError,
  filterPolicyCombinations,
  type NotificationFilter,
  snsFilterPolicy,
} from '../../shared/notifications/filter-policy.js';
import { changeEventOf } from './sample-events.js';
import { snsDelivers } from './sns-filter-evaluator.js';

const stageUpdate = changeEventOf('updated', {
  changes: [{ path: '/stage', before: 'Screening', after: 'Due Diligence' }],
});
const ownerUpdate = changeEventOf('updated', {
  changes: [{ path: '/owner/name', before: 'Aino Virtanen', after: 'James Whitfield' }],
});
const renamed = changeEventOf('updated', { changes: [{ path: '/name', before: 'Falcon', after: 'Hawk' }] });
const updateWithoutDiff = changeEventOf('updated', { changes: [], diffUnavailable: true });
const createdWithStage = changeEventOf('created');
const createdWithoutStage = changeEventOf('created', { project: { id: 'prj-000001', name: 'Hawk' } });
const deleted = changeEventOf('deleted');
const otherProcess: ChangeEvent = { ...stageUpdate, data: { ...stageUpdate.data, processId: 'proc-us' } };

/** Whether SNS would deliver `event`, as published by the real SNS message code, under `filter`. */
function delivered(filter: NotificationFilter, event: ChangeEvent): boolean {
  return snsDelivers(snsFilterPolicy(filter), toSnsMessage(event).MessageAttributes);
}

describe('snsFilterPolicy', () => {
  it('"only deletions" delivers deleted events and nothing else', () => {
    const filter: NotificationFilter = { eventTypes: ['deleted'] };

    expect(snsFilterPolicy(filter)).toEqual({ eventType: ['deleted'] });
    expect(delivered(filter, deleted)).toBe(true);
    expect(delivered(filter, stageUpdate)).toBe(false);
    expect(delivered(filter, createdWithStage)).toBe(false);
  });

  it('"only when stage or owner changes" delivers updates touching either, nested owner fields included', () => {
    const filter: NotificationFilter = { changedFields: ['stage', 'owner'] };

    expect(snsFilterPolicy(filter)).toEqual({
      eventType: ['created', 'updated'],
      changedFields: ['stage', 'owner', '*'],
    });
    expect(delivered(filter, stageUpdate)).toBe(true);
    expect(delivered(filter, ownerUpdate)).toBe(true);
    expect(delivered(filter, renamed)).toBe(false);
  });

  it('with changedFields alone, delivers a new project that has one of the fields but no deletions', () => {
    const filter: NotificationFilter = { changedFields: ['stage'] };

    expect(delivered(filter, createdWithStage)).toBe(true);
    expect(delivered(filter, createdWithoutStage)).toBe(false);
    expect(delivered(filter, deleted)).toBe(false);
  });

  it('delivers an update whose changes are unknown (diff unavailable) rather than risk missing a stage change', () => {
    expect(delivered({ changedFields: ['stage'] }, updateWithoutDiff)).toBe(true);
    expect(delivered({ changedFields: ['stage'], eventTypes: ['created'] }, updateWithoutDiff)).toBe(false);
  });

  it('delivers deletions beside field changes when eventTypes asks for both', () => {
    const filter: NotificationFilter = { eventTypes: ['updated', 'deleted'], changedFields: ['stage'] };

    expect(delivered(filter, deleted)).toBe(true);
    expect(delivered(filter, stageUpdate)).toBe(true);
    expect(delivered(filter, renamed)).toBe(false);
    expect(delivered(filter, createdWithStage)).toBe(false);
  });

  it('"only process X" delivers every kind of event of that process and none of another', () => {
    const filter: NotificationFilter = { processIds: ['proc-emea'] };

    expect(snsFilterPolicy(filter)).toEqual({ processId: ['proc-emea'] });
    for (const event of [stageUpdate, createdWithStage, deleted, updateWithoutDiff]) {
      expect(delivered(filter, event)).toBe(true);
    }
    expect(delivered(filter, otherProcess)).toBe(false);
  });

  it('combines every condition with AND', () => {
    const filter: NotificationFilter = {
      eventTypes: ['updated'],
      processIds: ['proc-emea'],
      changedFields: ['stage'],
    };

    expect(delivered(filter, stageUpdate)).toBe(true);
    expect(delivered(filter, otherProcess)).toBe(false);
    expect(delivered(filter, renamed)).toBe(false);
  });

  it('returns no policy for a filter that narrows nothing, so the subscriber gets every event', () => {
    expect(snsFilterPolicy({})).toBeUndefined();
    expect(snsFilterPolicy({ eventTypes: ['updated', 'deleted', 'created'] })).toBeUndefined();
  });

  it('lists event types once and in a fixed order, so the same choice gives the same policy', () => {
    expect(snsFilterPolicy({ eventTypes: ['updated', 'created', 'updated'] })).toEqual({
      eventType: ['created', 'updated'],
    });
    expect(snsFilterPolicy({ processIds: ['b', 'a', 'b'] })).toEqual({ processId: ['b', 'a'] });
  });

  it('refuses changedFields that could only apply to deletions, which change no fields', () => {
    expect(() => snsFilterPolicy({ eventTypes: ['deleted'], changedFields: ['stage'] })).toThrow(
      /changedFields has no effect on deleted events/,
    );
  });

  it('refuses empty lists, unknown event types and values SNS would need double-escaped', () => {
    expect(() => snsFilterPolicy({ processIds: [] })).toThrow(FilterPolicyError);
    expect(() => snsFilterPolicy({ eventTypes: [] })).toThrow(/at least one event type/);
    expect(() => snsFilterPolicy({ eventTypes: ['moved' as 'created'] })).toThrow(
      /"created", "updated", "deleted"/,
    );
    expect(() => snsFilterPolicy({ changedFields: ['say "hi"'] })).toThrow(/double quotes or backslashes/);
    expect(() => snsFilterPolicy({ changedFields: ['  '] })).toThrow(/non-blank/);
  });

  it('counts the absent-changedFields condition in SNS’s 150-combination limit and refuses more', () => {
    const fields = Array.from({ length: 14 }, (_, n) => `field${n}`);
    const processIds = Array.from({ length: 5 }, (_, n) => `proc-${n}`);

    const policy = snsFilterPolicy({ changedFields: fields, processIds });
    expect(policy && filterPolicyCombinations(policy)).toBe(2 * 15 * 5);
    expect(() => snsFilterPolicy({ changedFields: fields, processIds: [...processIds, 'proc-5'] })).toThrow(
      /allows 180 combinations.*at most 150/,
    );
  });
});

import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  subscriptionFilterPolicy,
  toCdkFilterPolicy,
} from '../../../infra/constructs/subscription-filter-policy.js';
import { FilterPolicyError, snsFilterPolicy } from '../../../shared/notifications/filter-policy.js';
import { MESSAGE_ATTRIBUTES } from '../../../shared/notifications/message-attributes.js';

/** The conditions CDK will write into the template for each attribute. */
function rendered(policy: ReturnType<typeof subscriptionFilterPolicy>) {
  return new Stack().resolve(
    Object.fromEntries(
      Object.entries(policy ?? {}).map(([attribute, filter]) => [attribute, filter.conditions]),
    ),
  );
}

describe('subscriptionFilterPolicy', () => {
  it('hands CDK exactly the conditions snsFilterPolicy builds, "*" for unknown fields included', () => {
    const filter = {
      eventTypes: ['updated', 'deleted'],
      changedFields: ['stage'],
      processIds: ['p1'],
    } as const;

    expect(rendered(subscriptionFilterPolicy(filter))).toEqual(snsFilterPolicy(filter));
    expect(rendered(subscriptionFilterPolicy(filter))).toEqual({
      [MESSAGE_ATTRIBUTES.eventType]: ['updated', 'deleted'],
      [MESSAGE_ATTRIBUTES.changedFields]: ['stage', '*'],
      [MESSAGE_ATTRIBUTES.processId]: ['p1'],
    });
  });

  it('filters nothing without a filter, or with one that lets every event through', () => {
    expect(subscriptionFilterPolicy(undefined)).toBeUndefined();
    expect(subscriptionFilterPolicy({ eventTypes: ['created', 'updated', 'deleted'] })).toBeUndefined();
  });

  it('passes on the FilterPolicyError of a filter SNS would refuse', () => {
    expect(() => subscriptionFilterPolicy({ eventTypes: ['deleted'], changedFields: ['stage'] })).toThrow(
      FilterPolicyError,
    );
  });

  it('maps each attribute of a policy to one subscription filter', () => {
    const policy = toCdkFilterPolicy({ processId: ['p1', 'p2'] });

    expect(Object.keys(policy)).toEqual(['processId']);
    expect(policy.processId?.conditions).toEqual(['p1', 'p2']);
  });
});

/**
 * A notification target's filter as the CDK wants a subscription's filter policy. The rules live in
 * shared/notifications/filter-policy.ts (`snsFilterPolicy`), one set for every kind of target; this
 * only hands each attribute's conditions to CDK as they are.
 * Layer: infrastructure.
 */
import { SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import {
  type NotificationFilter,
  type SnsFilterPolicy,
  snsFilterPolicy,
} from '../../shared/notifications/filter-policy.js';

export type CdkFilterPolicy = Record<string, SubscriptionFilter>;

/**
 * The filter policy of a subscription for `filter`; undefined when there is nothing to filter.
 * @throws FilterPolicyError when SNS would refuse the policy.
 */
export function subscriptionFilterPolicy(
  filter: NotificationFilter | undefined,
): CdkFilterPolicy | undefined {
  if (filter === undefined) return undefined;
  const policy = snsFilterPolicy(filter);
  return policy === undefined ? undefined : toCdkFilterPolicy(policy);
}

export function toCdkFilterPolicy(policy: SnsFilterPolicy): CdkFilterPolicy {
  return Object.fromEntries(
    Object.entries(policy).map(([attribute, conditions]) => [
      attribute,
      new SubscriptionFilter([...conditions]),
    ]),
  );
}

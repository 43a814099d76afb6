/**
 * A small evaluator of SNS subscription filter policies (MessageAttributes scope), for the operators
 * shared/notifications/filter-policy.ts emits, following the SNS documentation:
 *  - every policy key must match (AND); any of a key's conditions may match (OR);
 *  - a string condition matches a String attribute equal to it, or a String.Array with an equal element;
 *    it never matches an absent attribute;
 * Anything else throws, so a policy this evaluator cannot judge never passes a test by accident.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import type { FilterCondition, SnsFilterPolicy } from '../../shared/notifications/filter-policy.js';

export function snsDelivers(
  policy: SnsFilterPolicy | undefined,
  attributes: Readonly<Record<string, MessageAttributeValue>>,
): boolean {
  if (policy === undefined) return true;
  return Object.entries(policy).every(([name, conditions]) => {
    if (name.startsWith('$')) throw new Error(`evaluator: operator key ${name} is not supported`);
    return conditions.some((condition) => matches(condition, attributes[name]));
  });
}

function matches(condition: FilterCondition, attribute: MessageAttributeValue | undefined): boolean {
  if (typeof condition !== 'string') {
    throw new Error(`evaluator: condition ${JSON.stringify(condition)} is not supported`);
  }
  if (attribute === undefined) return false;
  return valuesOf(attribute).includes(condition);
}

function valuesOf(attribute: MessageAttributeValue): string[] {
  const text = attribute.StringValue ?? '';
  switch (attribute.DataType) {
    case 'String':
      return [text];
    case 'String.Array': {
      const values: unknown = JSON.parse(text);
      if (!Array.isArray(values)) throw new Error('evaluator: String.Array value is not a JSON array');
      return values.filter((value): value is string => typeof value === 'string');
    }
    default:
      throw new Error(`evaluator: attribute type ${attribute.DataType} is not supported`);
  }
}

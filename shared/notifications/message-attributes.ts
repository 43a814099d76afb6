/**
 * Names of the SNS message attributes every change event carries, the only things a subscription's
 * filter policy can see: the publisher sets them, filter policies match on them.
 * Layer: notifications (pure).
 */
export const MESSAGE_ATTRIBUTES = {
  /** `created`, `updated` or `deleted` (String). */
  eventType: 'eventType',
  /** The Midaxo process id (String). */
  processId: 'processId',
  /** Top-level project fields the event changes (String.Array); absent when it lists no field changes. */
  changedFields: 'changedFields',
} as const;

/** Two webhook targets as a user writes them in cdk.json: one with a created key, one with an existing secret. */
import { EXISTING_SECRET_NAME } from './stack-fixture.js';

export const CRM_FILTER = { eventTypes: ['updated'], changedFields: ['stage'] } as const;

export const WEBHOOK_TARGETS = [
  {
    type: 'webhook',
    name: 'crm',
    url: 'https://crm.example.com/hooks/midaxo',
    secret: { create: true },
    filter: CRM_FILTER,
    maxPerSecond: 5,
  },
  {
    type: 'webhook',
    name: 'erp',
    url: 'https://erp.example.com/in',
    secret: { existing: EXISTING_SECRET_NAME },
  },
];

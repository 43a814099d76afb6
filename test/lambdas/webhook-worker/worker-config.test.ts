import { describe, expect, it } from 'vitest';
import { loadWebhookWorkerConfig } from '../../../lambdas/webhook-worker/worker-config.js';

const ENV = {
  WEBHOOK_NAME: 'crm',
  WEBHOOK_URL: 'https://hooks.example.com/midaxo',
  WEBHOOK_SECRET_ID: 'crm-signing-key',
  WEBHOOK_MAX_PER_SECOND: '10',
  WEBHOOK_CONCURRENCY: '2',
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/crm',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/crm-dead-letters',
  STATE_TABLE_NAME: 'state',
};

describe('webhook worker environment', () => {
  it('takes an https receiver on its default or a chosen port', () => {
    expect(loadWebhookWorkerConfig(ENV).url.href).toBe('https://hooks.example.com/midaxo');
    expect(
      loadWebhookWorkerConfig({ ...ENV, WEBHOOK_URL: 'https://hooks.example.com:8443/m' }).url.port,
    ).toBe('8443');
  });

  it('refuses a receiver on a port fetch never connects to, naming the port', () => {
    expect(() =>
      loadWebhookWorkerConfig({ ...ENV, WEBHOOK_URL: 'https://hooks.example.com:6667/m' }),
    ).toThrow(/WEBHOOK_URL: port 6667 is one fetch never connects to/);
  });
});

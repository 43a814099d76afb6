/** The webhook signing key custom resource's entry point: the real Secrets Manager client. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import { createWebhookKeyHandler } from './create-webhook-key-handler.js';

export const handler = createWebhookKeyHandler({
  secretsManager: new SecretsManagerClient(SDK_CLIENT_OPTIONS),
});

/** The Slack forwarder Lambda's entry point: real clients, real environment. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import { createSlackForwarderHandler } from './create-slack-forwarder-handler.js';

export const handler = createSlackForwarderHandler({
  env: process.env,
  secretsManager: new SecretsManagerClient(SDK_CLIENT_OPTIONS),
});

/** The Slack forwarder Lambda's entry point: real clients, real environment. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSlackForwarderHandler } from './create-slack-forwarder-handler.js';

export const handler = createSlackForwarderHandler({
  env: process.env,
  secretsManager: new SecretsManagerClient({}),
});

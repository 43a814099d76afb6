/** The email digest worker Lambda's entry point: real clients, real environment. */
import { SNSClient } from '@aws-sdk/client-sns';
import { SDK_CLIENT_OPTIONS } from '../../shared/adapters/aws/sdk-client-options.js';
import { createEmailDigestWorkerHandler } from './create-email-digest-worker-handler.js';

export const handler = createEmailDigestWorkerHandler({
  env: process.env,
  sns: new SNSClient(SDK_CLIENT_OPTIONS),
});

/**
 * Composition root of the custom resource that gives each webhook signing secret the stack creates its
 * first key, in the `whsec_…` form receivers hand to `new Webhook(secret)`: CloudFormation can generate a
 * random string but not put the prefix in front of it. On Create and Update it fills the secret when it
 * is still empty and leaves a key that is there (rotated, or from an earlier deploy) alone; on Delete it
 * does nothing, the secret's own removal policy decides.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import {
  answerCustomResource,
  type CustomResourceRequest,
} from '../../shared/adapters/aws/cloudformation-custom-resource.js';
import { fillEmptySecret } from '../../shared/adapters/secrets/fill-empty-secret.js';
import { newWebhookSecretValue } from '../../shared/adapters/webhook/webhook-secret-value.js';
import { COMPLETE_SECRET_ARN } from '../../shared/config/aws-arn.js';
import { ConfigError, describeIssues } from '../../shared/config/config-error.js';

const propertiesSchema = z.object({
  SecretArn: z
    .string()
    .regex(COMPLETE_SECRET_ARN, { error: "expected the ARN of the stack's signing secret" }),
});

export interface WebhookKeyDependencies {
  readonly secretsManager: SecretsManagerClient;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
}

export function createWebhookKeyHandler(deps: WebhookKeyDependencies) {
  const log = deps.log ?? ((line: string) => console.log(line));
  const fill = async (request: CustomResourceRequest) => {
    // Nothing to do on Delete: properties that no longer parse must not keep the stack from going.
    if (request.RequestType === 'Delete') {
      return { physicalResourceId: request.PhysicalResourceId ?? request.LogicalResourceId };
    }
    const properties = propertiesSchema.safeParse(request.ResourceProperties);
    if (!properties.success) {
      throw new ConfigError(`Invalid properties:\n${describeIssues(properties.error.issues)}`);
    }
    const { SecretArn } = properties.data;
    const outcome = await fillEmptySecret(deps.secretsManager, SecretArn, newWebhookSecretValue);
    log(`${request.RequestType} ${SecretArn}: ${outcome === 'filled' ? 'new key put' : 'key kept'}`);
    return { physicalResourceId: SecretArn };
  };
  return (event: unknown) => answerCustomResource(event, fill, deps.fetch);
}

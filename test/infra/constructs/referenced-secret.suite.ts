import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { SecretSource } from '../../../infra/config/notifier-config.js';
import { grantReadSecret, referencedSecret } from '../../../infra/constructs/referenced-secret.js';
import {
  decryptViaSecretsManager,
  EXISTING_SECRET_ARN,
  EXISTING_SECRET_KEY_ARN,
  statementsOfRole,
} from '../stack-fixture.js';

const OPTIONS = {
  description: 'put {"token":"..."} here',
  noRotationReason: 'issued by hand by the vendor; rotated with put-secret-value',
};

/** Resolves `source` in a fresh stack and grants a role reading it; returns what the role may do. */
function granted(source: SecretSource) {
  const stack = new Stack(new App(), 'Test');
  const reference = referencedSecret(stack, 'Secret', source, OPTIONS);
  const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  grantReadSecret(reference, role);
  const template = Template.fromStack(stack);
  return { stack, reference, template, statements: statementsOfRole(template, stack.resolve(role.roleArn)) };
}

describe('referencedSecret', () => {
  it('creates an empty secret, kept when it leaves the stack, with the reason it has no rotation', () => {
    const { reference, template, stack } = granted({ kind: 'create' });

    expect(reference.created).toBe(true);
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: { Description: OPTIONS.description },
      DeletionPolicy: 'Retain',
    });
    const secret = Object.values(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(secret?.Properties).not.toHaveProperty('GenerateSecretString');
    const acknowledged = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((entry) => JSON.stringify(entry.data));
    expect(acknowledged.join()).toContain(OPTIONS.noRotationReason);
  });

  it('refers to an existing secret by name, reading it under any of its random suffixes', () => {
    const { reference, statements } = granted({ kind: 'existing', nameOrArn: 'vendor/token' });

    expect(reference).toMatchObject({ secretId: 'vendor/token', created: false });
    expect(JSON.stringify(statements)).toContain(':secret:vendor/token-??????');
  });

  it('reads a secret with its own key through Secrets Manager only, and touches no other key', () => {
    const { statements } = granted({
      kind: 'existing',
      nameOrArn: EXISTING_SECRET_ARN,
      encryptionKeyArn: EXISTING_SECRET_KEY_ARN,
    });

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: EXISTING_SECRET_ARN,
      },
      decryptViaSecretsManager(EXISTING_SECRET_KEY_ARN),
    ]);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { WorkspaceSecrets } from '../../../infra/constructs/workspace-secrets.js';
import { synthesizeStack } from '../stack-fixture.js';

const { template } = synthesizeStack();

describe('WorkspaceSecrets', () => {
  it('creates only the secrets asked for, and creates them empty for the user to fill in', () => {
    const workspaceSecrets = Object.values(template.findResources('AWS::SecretsManager::Secret')).filter(
      (secret) => String(secret.Properties.Description).startsWith('Midaxo API client credentials'),
    );
    expect(workspaceSecrets).toHaveLength(1);
    const secret = workspaceSecrets[0];

    expect(secret?.Properties).not.toHaveProperty('SecretString');
    expect(secret?.Properties).not.toHaveProperty('GenerateSecretString');
    expect(String(secret?.Properties.Description)).toContain(
      'put {"client_id":"...","client_secret":"..."} here',
    );
  });

  it('keeps a created secret when the stack goes away: the credentials come from Midaxo support', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('refuses two workspaces of the same name', () => {
    const stack = new Stack(new App(), 'Test');
    const workspace = { name: 'acme', processIds: ['p1'], secret: { kind: 'create' } } as const;

    expect(
      () =>
        new WorkspaceSecrets(stack, 'Secrets', { workspaces: [workspace, { ...workspace, name: 'ACME' }] }),
    ).toThrow(/workspace names must be unique/);
  });

  it('refuses an empty list of workspaces', () => {
    const stack = new Stack(new App(), 'Test');

    expect(() => new WorkspaceSecrets(stack, 'Secrets', { workspaces: [] })).toThrow(
      /at least one workspace/,
    );
  });
});

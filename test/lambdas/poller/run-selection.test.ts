import { describe, expect, it } from 'vitest';
import { selectWorkspaces } from '../../../lambdas/poller/run-selection.js';
import { ConfigError } from '../../../shared/config/config-error.js';

const CONFIGURED = [
  { name: 'acme', secretId: 'midaxo/acme', processIds: ['a1', 'a2'] },
  { name: 'beta', secretId: 'midaxo/beta', processIds: ['b1'] },
  { name: 'gamma', secretId: 'midaxo/gamma', processIds: ['g1', 'g2'] },
];

describe('run selection', () => {
  it('runs every configured workspace and process when the payload names none', () => {
    expect(selectWorkspaces(CONFIGURED, {})).toEqual(CONFIGURED);
  });

  it('runs only the named workspaces, with all their processes', () => {
    expect(selectWorkspaces(CONFIGURED, { workspaces: ['gamma', 'acme'] })).toEqual([
      CONFIGURED[0],
      CONFIGURED[2],
    ]);
  });

  it('runs only the named processes, in whichever workspace each is configured', () => {
    expect(selectWorkspaces(CONFIGURED, { processIds: ['g2', 'a1'] })).toEqual([
      { name: 'acme', secretId: 'midaxo/acme', processIds: ['a1'] },
      { name: 'gamma', secretId: 'midaxo/gamma', processIds: ['g2'] },
    ]);
  });

  it('takes both: the named processes of the named workspaces', () => {
    expect(selectWorkspaces(CONFIGURED, { workspaces: ['acme'], processIds: ['a2'] })).toEqual([
      { name: 'acme', secretId: 'midaxo/acme', processIds: ['a2'] },
    ]);
  });

  it('refuses a workspace that is not configured, naming it and those that are', () => {
    expect(() => selectWorkspaces(CONFIGURED, { workspaces: ['acme', 'acme-corp'] })).toThrow(
      new ConfigError(
        'Invalid invocation payload:\n- workspaces: "acme-corp" not configured; configured: "acme", "beta", "gamma"',
      ),
    );
  });

  it('refuses a process id that is not configured, or not in the named workspaces', () => {
    expect(() => selectWorkspaces(CONFIGURED, { processIds: ['a1', 'zz'] })).toThrow(
      '- processIds: "zz" not configured in any workspace',
    );
    expect(() => selectWorkspaces(CONFIGURED, { workspaces: ['beta'], processIds: ['a1'] })).toThrow(
      '- processIds: "a1" not configured in workspaces "beta"',
    );
  });

  it('lists at most 20 configured workspaces in its message', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `ws-${i}`, processIds: [`p${i}`] }));

    expect(() => selectWorkspaces(many, { workspaces: ['nope'] })).toThrow(/"ws-19" and 30 more$/);
  });
});

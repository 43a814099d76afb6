/**
 * The synthesized template with every kind of target (webhook endpoints with a created and an existing
 * key, Slack, e-mail, https, SQS, Lambda) and several workspaces, checked by cfn-lint, AWS's CloudFormation
 * linter, when it is installed (`pip install cfn-lint`; CI machines without it skip, saying so).
 *
 * W3005 is left out: CDK makes each function DependsOn its role beside the GetAtt of the role's ARN, a
 * redundancy cfn-lint warns about and CloudFormation ignores.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FULL_CONFIG, synthesizeStack } from './stack-fixture.js';
import { WEBHOOK_TARGETS } from './webhook-targets.js';

const cfnLintVersion = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const installed = cfnLintVersion.error === undefined && cfnLintVersion.status === 0;
const IGNORED_CHECKS = ['W3005'];

describe('cfn-lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notifier-cfn-lint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!installed)(
    `finds no error and no warning in the template with every kind of target${installed ? '' : ' (skipped: cfn-lint is not on PATH)'}`,
    () => {
      const { template } = synthesizeStack({
        ...FULL_CONFIG,
        notifications: [...FULL_CONFIG.notifications, ...WEBHOOK_TARGETS],
      });
      const file = join(dir, 'MidaxoChangeNotifier.template.json');
      writeFileSync(file, JSON.stringify(template.toJSON()));

      const lint = spawnSync(
        'cfn-lint',
        ['--format', 'parseable', `--ignore-checks=${IGNORED_CHECKS.join(',')}`, '--', file],
        { encoding: 'utf8', timeout: 170_000 },
      );

      expect(lint.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
      expect(lint.status).toBe(0);
    },
    // cfn-lint loads its AWS resource specifications first: seconds of CPU, longer on a busy machine.
    180_000,
  );
});

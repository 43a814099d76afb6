/**
 * Reads the notifier's configuration from CDK context once, before any construct is built, so a bad
 * `cdk.json` fails `cdk synth` with every problem listed by key.
 * Layer: infrastructure.
 */
import type { IConstruct } from 'constructs';
import type { z } from 'zod';
import { ConfigError } from '../../shared/config/config-error.js';
import { CONFIG_KEYS, type NotifierConfig, notifierConfigSchema } from './notifier-config.js';

export function readNotifierConfig(scope: IConstruct): NotifierConfig {
  const context = Object.fromEntries(CONFIG_KEYS.map((key) => [key, scope.node.tryGetContext(key)]));
  const parsed = notifierConfigSchema.safeParse(context);
  if (!parsed.success) {
    throw new ConfigError(
      'Invalid notifier configuration. Fix these keys in the "context" of cdk.json (or pass -c key=value):\n' +
        describeConfigIssues(parsed.error.issues),
    );
  }
  return parsed.data;
}

/** One line per problem, `key[0].sub: what is allowed`; the received value is never shown. */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  - ${keyPath(issue.path)}: ${issue.message}`).join('\n');
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text === '' ? String(part) : `${text}.${String(part)}`;
  }, '');
}

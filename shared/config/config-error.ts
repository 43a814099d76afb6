import type * as z from '../support/schema.js';

/** A configuration or secret problem the user has to fix; the message names what and never echoes a value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** One line per problem, `NAME: what was expected`, without the received value (it may be secret). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const name = [prefix, path].filter(Boolean).join('.') || prefix || '(value)';
      return `- ${name}: ${issue.message}`;
    })
    .join('\n');
}

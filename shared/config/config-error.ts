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

/** What `safeParse` of zod (full or mini) returns: the parsed value, or the issues. */
type ParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: { readonly issues: readonly z.core.$ZodIssue[] } };

/**
 * A function's environment through its one schema: an empty variable counts as unset (CloudFormation
 * and shells often leave optional ones blank), and every problem is listed by name in a `ConfigError`.
 */
export function parseEnvironment<T>(
  schema: { safeParse(input: unknown): ParseResult<T> },
  env: Record<string, string | undefined>,
  whose: string,
): T {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(`Invalid ${whose} environment:\n${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

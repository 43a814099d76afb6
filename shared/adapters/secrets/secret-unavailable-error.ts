/**
 * Secrets Manager did not answer a read for a passing reason (throttling, a fault on AWS's side, the
 * network): nothing for the user to fix, unlike a `ConfigError`; the next read tries again.
 */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

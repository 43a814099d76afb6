/**
 * Whether an AWS SDK error is passing: the same call may succeed when sent again (throttling, a fault
 * on AWS's side, a dropped connection), as opposed to one that fails the same way until something is
 * fixed (a missing resource, a denied permission, a malformed request).
 * Layer: adapter, shared by every AWS adapter that decides between retrying and reporting.
 */
const TRANSIENT_ERROR_NAMES = new Set([
  'ThrottledException',
  'ThrottlingException',
  'TooManyRequestsException',
  'KMSThrottlingException',
  'InternalErrorException',
  'InternalServiceError',
  'TimeoutError',
]);
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export function isTransientAwsError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const details = e as Error & {
    $fault?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  const status = details.$metadata?.httpStatusCode;
  return (
    TRANSIENT_ERROR_NAMES.has(e.name) ||
    details.$retryable !== undefined ||
    details.$fault === 'server' ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    TRANSIENT_NETWORK_CODES.has(details.code ?? '')
  );
}

/**
 * Errors of the Midaxo adapter. Messages name the process and the request (method, path, query) and never
 * a token, a secret or a header, so they can be logged as they are.
 */
export interface MidaxoErrorDetails {
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;
  /** True when the same call may succeed later (the failure looked transient). */
  readonly retryable: boolean;
  readonly processId?: string;
  /** Method and URL path+query of the failing request, e.g. `GET /processes/p1/projects?first=100`. */
  readonly request?: string;
  readonly cause?: unknown;
}

export abstract class MidaxoError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly processId: string | undefined;
  readonly request: string | undefined;

  constructor(message: string, details: MidaxoErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.retryable = details.retryable;
    this.processId = details.processId;
    this.request = details.request;
  }
}

/** The client credentials, the audience or the token's access to a process were refused. */
export class MidaxoAuthError extends MidaxoError {
  override readonly name = 'MidaxoAuthError';
}

/** Any other failure: unknown process, bad request, server errors or timeouts after retries, malformed responses. */
export class MidaxoApiError extends MidaxoError {
  override readonly name = 'MidaxoApiError';
}

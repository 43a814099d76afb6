/**
 * An auth server's token endpoint as a `fetch`, in process: every request counted, each answered with a
 * new token (`expires_in` as configured) or with the status a test queued. With `jwtExpiresInSeconds`,
 * the tokens are JWT-shaped with that `exp` (unsigned: the provider never checks a signature).
 * For the token provider's tests and the bench's token scenario, which run on simulated time.
 */
import type { Fetch } from '../../shared/adapters/midaxo/http-exchange.js';

export interface TokenEndpointOptions {
  readonly expiresInSeconds: number;
  /** The `exp` the JWT claims, seconds after issue. @default - opaque tokens, no JWT */
  readonly jwtExpiresInSeconds?: number;
  /** When the endpoint issues a token. */
  readonly now: () => Date;
}

export interface TokenEndpointStandIn {
  readonly fetch: Fetch;
  /** Requests received so far. */
  readonly requests: number;
  /** The tokens issued so far, in order. */
  readonly issued: readonly string[];
  /** The next requests are answered with these statuses (an Auth0 error body), then tokens again. */
  failNext(...statuses: number[]): void;
}

export function createTokenEndpointStandIn(options: TokenEndpointOptions): TokenEndpointStandIn {
  const issued: string[] = [];
  const failures: number[] = [];
  let requests = 0;
  const tokenOf = (serial: number): string => {
    if (options.jwtExpiresInSeconds === undefined) return `token-${serial}`;
    const exp = Math.floor(options.now().getTime() / 1000) + options.jwtExpiresInSeconds;
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: `client@${serial}`, exp })}.signature-${serial}`;
  };
  const fetch: Fetch = async () => {
    requests += 1;
    const failure = failures.shift();
    if (failure !== undefined) {
      return Response.json({ error: 'temporarily_unavailable' }, { status: failure });
    }
    const token = tokenOf(issued.length + 1);
    issued.push(token);
    return Response.json({ access_token: token, token_type: 'Bearer', expires_in: options.expiresInSeconds });
  };
  return {
    fetch,
    get requests() {
      return requests;
    },
    issued,
    failNext: (...statuses) => failures.push(...statuses),
  };
}

/**
 * The sandbox's token endpoint: Auth0's client_credentials flow as Midaxo documents it, with Auth0's error bodies.
 * Tokens are random and opaque (JWT-looking, so clients cannot rely on decoding them) and expire on the sandbox clock.
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../shared/core/json.js';
import type { SandboxClient } from './sandbox-types.js';

export const SANDBOX_AUDIENCE = 'kappa-appsync-app-api';

export interface SandboxReply {
  readonly status: number;
  readonly body: JsonObject;
}

interface IssuedToken {
  readonly client: SandboxClient;
  readonly expiresAtMs: number;
}

export interface TokenDesk {
  /** Answers `POST /oauth/token`. */
  exchange(contentType: string | undefined, body: string): SandboxReply;
  /** The client a live token was issued to; undefined for an unknown or expired token. */
  clientOf(token: string): SandboxClient | undefined;
  revokeAll(): void;
  readonly issued: number;
}

export function createTokenDesk(
  clients: readonly SandboxClient[],
  ttlSeconds: number,
  now: () => Date,
): TokenDesk {
  const tokens = new Map<string, IssuedToken>();
  let issued = 0;

  function exchange(contentType: string | undefined, body: string): SandboxReply {
    if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return invalidRequest('Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(body);
    const grantType = form.get('grant_type');
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    const audience = form.get('audience');
    if (!grantType) return invalidRequest('Missing required parameter: grant_type');
    if (grantType !== 'client_credentials') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' },
      };
    }
    if (!clientId) return invalidRequest('Missing required parameter: client_id');
    if (!audience) return invalidRequest('Missing required parameter: audience');
    const client = clients.find((c) => c.clientId === clientId);
    if (client === undefined || client.clientSecret !== clientSecret) {
      return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
    }
    if (audience !== SANDBOX_AUDIENCE) {
      return {
        status: 403,
        body: { error: 'access_denied', error_description: `Service not found: ${audience}` },
      };
    }
    const token = opaqueJwt();
    tokens.set(token, { client, expiresAtMs: now().getTime() + ttlSeconds * 1000 });
    issued += 1;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds } };
  }

  function clientOf(token: string): SandboxClient | undefined {
    const entry = tokens.get(token);
    if (entry === undefined) return undefined;
    if (now().getTime() >= entry.expiresAtMs) {
      tokens.delete(token);
      return undefined;
    }
    return entry.client;
  }

  return {
    exchange,
    clientOf,
    revokeAll: () => tokens.clear(),
    get issued() {
      return issued;
    },
  };
}

function invalidRequest(description: string): SandboxReply {
  return { status: 400, body: { error: 'invalid_request', error_description: description } };
}

function opaqueJwt(): string {
  const segment = (value: object | Buffer) =>
    (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
  const header = segment({ alg: 'RS256', typ: 'JWT' });
  const payload = segment({ jti: randomBytes(12).toString('hex'), aud: SANDBOX_AUDIENCE });
  return `${header}.${payload}.${segment(randomBytes(32))}`;
}

/**
 * Where a Midaxo Cloud instance lives, as the API overview lists it.
 * Layer: adapter (configuration data only).
 */
export type MidaxoInstance = 'eu' | 'us';

export interface MidaxoEndpoints {
  /** Base URL of the REST API, without a trailing slash. */
  readonly apiUrl: string;
  /** The full OAuth2 token URL. */
  readonly authUrl: string;
  readonly audience: string;
}

export const MIDAXO_AUDIENCE = 'kappa-appsync-app-api';

export function midaxoEndpointsFor(instance: MidaxoInstance): MidaxoEndpoints {
  return {
    apiUrl: `https://api.app-${instance}.midaxo.com`,
    authUrl: `https://auth.app-${instance}.midaxo.com/oauth/token`,
    audience: MIDAXO_AUDIENCE,
  };
}

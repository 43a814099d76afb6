/**
 * Where a Midaxo Cloud instance lives, as the API overview lists it, and which of them a workspace uses.
 * Layer: adapter (configuration data only).
 */
import { ConfigError } from '../../config/config-error.js';
import type { MidaxoInstanceName, WorkspaceEndpointOverrides } from '../../config/workspace-list.js';

export type MidaxoInstance = MidaxoInstanceName;

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

/** The deployment's Midaxo settings: the instance (and URLs) of workspaces that do not name their own. */
export interface DeploymentEndpointSettings {
  readonly instance?: MidaxoInstance;
  readonly apiUrl?: string;
  readonly authUrl?: string;
  readonly audience?: string;
}

/**
 * The endpoints of one workspace. A workspace that names its own instance takes none of the deployment's
 * URLs (they belong to the deployment's instance); its own `apiUrl`/`authUrl` replace its instance's.
 * The audience is the same on every instance.
 */
export function workspaceEndpoints(
  deployment: DeploymentEndpointSettings,
  workspace: WorkspaceEndpointOverrides & { readonly name: string },
): MidaxoEndpoints {
  const base = workspace.instance === undefined ? deployment : { instance: workspace.instance };
  const { instance } = base;
  if (instance === undefined) {
    throw new ConfigError(
      `Workspace "${workspace.name}" names no Midaxo instance and the poller has no MIDAXO_INSTANCE: ` +
        'set "instance" ("eu" or "us") on the workspace or for the whole deployment',
    );
  }
  const defaults = midaxoEndpointsFor(instance);
  return {
    apiUrl: workspace.apiUrl ?? base.apiUrl ?? defaults.apiUrl,
    authUrl: workspace.authUrl ?? base.authUrl ?? defaults.authUrl,
    audience: deployment.audience ?? defaults.audience,
  };
}

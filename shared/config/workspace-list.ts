/**
 * The poller's workspace list as JSON text, `[{"name","secretId","processIds":[...]}]`: what
 * `MIDAXO_WORKSPACES` holds, and what the stack stores in the state table for the deployed poller.
 * One schema reads it wherever it comes from.
 */
import { createHash } from 'node:crypto';
import * as z from '../support/schema.js';
import { sendableUrl } from '../support/secure-url.js';
import { jsonSetting } from './json-setting.js';

/** A version of the list: the first 16 hex digits of a SHA-256. */
export const WORKSPACE_LIST_VERSION = /^[0-9a-f]{16}$/;

/** A workspace name: the stack's configuration and the poller accept the same ones. */
export const WORKSPACE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The Midaxo Cloud instances: each workspace lives on one of them. */
export const MIDAXO_INSTANCES = ['eu', 'us'] as const;
export type MidaxoInstanceName = (typeof MIDAXO_INSTANCES)[number];

/** A Midaxo endpoint override. */
export const endpointUrl = z.string().check(z.refine(...sendableUrl()));

const workspaceSchema = z.object({
  name: z.string().check(z.regex(WORKSPACE_NAME, 'expected 1-64 letters, digits, - or _')),
  secretId: z.string().check(z.minLength(1, 'expected a Secrets Manager secret name or ARN')),
  processIds: z
    .array(z.string().check(z.minLength(1)))
    .check(z.minLength(1, 'expected at least one process id')),
  instance: z.optional(z.enum(MIDAXO_INSTANCES, { error: 'expected "eu" or "us"' })),
  apiUrl: z.optional(endpointUrl),
  authUrl: z.optional(endpointUrl),
});
export type WorkspaceConfig = z.infer<typeof workspaceSchema>;

export const workspaceListJson = jsonSetting(
  'expected JSON: [{"name","secretId","processIds":[...]}]',
  z.array(workspaceSchema).check(z.minLength(1, 'expected at least one workspace')),
);

/**
 * Where a workspace's Midaxo lives when it is not where the deployment's other workspaces live: its own
 * instance, and URLs that replace that instance's (a proxy, a test server). Unset, the poller's own
 * settings apply.
 */
export interface WorkspaceEndpointOverrides {
  readonly instance?: MidaxoInstanceName;
  readonly apiUrl?: string;
  readonly authUrl?: string;
}

/** A workspace as callers hold it: these fields at least, the process ids possibly read-only. */
export interface WorkspaceReference extends WorkspaceEndpointOverrides {
  readonly name: string;
  readonly secretId: string;
  readonly processIds: readonly string[];
}

/** The fields of each workspace the poller reads, and nothing else a caller's objects may carry. */
export function workspaceListEntries(workspaces: readonly WorkspaceReference[]): WorkspaceConfig[] {
  return workspaces.map(({ name, secretId, processIds, ...endpoints }) => ({
    name,
    secretId,
    processIds: [...processIds],
    ...endpointOverridesOf(endpoints),
  }));
}

/** The overrides a workspace sets, leaving out the unset ones so the stored list only says what is meant. */
export function endpointOverridesOf(workspace: WorkspaceEndpointOverrides): WorkspaceEndpointOverrides {
  const { instance, apiUrl, authUrl } = workspace;
  return {
    ...(instance === undefined ? {} : { instance }),
    ...(apiUrl === undefined ? {} : { apiUrl }),
    ...(authUrl === undefined ? {} : { authUrl }),
  };
}

/**
 * The version of a workspace list, from a stable description of it: the list itself, or (in the CDK
 * app, where a created secret's ARN is only known at deploy) the list with each such ARN replaced by
 * what stands for it at synth. A list that differs gets another version.
 */
export function workspaceListVersion(description: unknown): string {
  return createHash('sha256').update(JSON.stringify(description)).digest('hex').slice(0, 16);
}

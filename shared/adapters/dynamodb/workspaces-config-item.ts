/**
 * Converts between a version of the workspace list and its item in the state table. Layer: adapter.
 * The CDK stack writes the item at deploy with this function (its secret ARNs resolved by
 * CloudFormation), the tests and the bench write it the same way, and the poller reads it back here,
 * so the three cannot disagree on its format.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ConfigError, describeIssues } from '../../config/config-error.js';
import {
  WORKSPACE_LIST_VERSION,
  type WorkspaceConfig,
  type WorkspaceReference,
  workspaceListEntries,
  workspaceListJson,
} from '../../config/workspace-list.js';
import * as z from '../../support/schema.js';
import { STATE_ATTRIBUTES, STATE_TABLE_KEYS, workspacesConfigKey } from './state-table.js';

type Item = Record<string, AttributeValue>;

/**
 * The item holding `workspaces` as version `version`. `toJson` writes the list as JSON text; the CDK
 * app passes `Stack.toJsonString`, which leaves a deploy-time ARN for CloudFormation to fill in.
 */
export function toWorkspacesConfigItem(
  workspaces: readonly WorkspaceReference[],
  version: string,
  toJson: (value: unknown) => string = JSON.stringify,
): Item {
  return {
    ...workspacesConfigKey(version),
    [STATE_ATTRIBUTES.version]: { S: version },
    [STATE_ATTRIBUTES.workspaces]: { S: toJson(workspaceListEntries(workspaces)) },
  };
}

const storedListSchema = z.object({
  version: z.string({ error: 'expected a string attribute' }),
  workspaces: z.pipe(z.string({ error: 'expected a string attribute (JSON)' }), workspaceListJson),
});

/** Where an item is, for messages: the table and its key, never its content. */
export function describeWorkspacesConfigItem(tableName: string, version: string): string {
  const key = workspacesConfigKey(version);
  const part = (name: string) => key[name]?.S ?? '';
  return `table ${tableName}, ${STATE_TABLE_KEYS.partitionKey} "${part(STATE_TABLE_KEYS.partitionKey)}", ${STATE_TABLE_KEYS.sortKey} "${part(STATE_TABLE_KEYS.sortKey)}"`;
}

/** The list an item holds, validated; a malformed item, or one of another version, fails naming where it is. */
export function fromWorkspacesConfigItem(item: Item, tableName: string, version: string): WorkspaceConfig[] {
  const where = describeWorkspacesConfigItem(tableName, version);
  const parsed = storedListSchema.safeParse({
    version: item[STATE_ATTRIBUTES.version]?.S,
    workspaces: item[STATE_ATTRIBUTES.workspaces]?.S,
  });
  if (!parsed.success) {
    throw new ConfigError(
      `The workspace list in the state table is malformed (${where}):\n` +
        `${describeIssues(parsed.error.issues)}\n` +
        'The stack writes this item when it deploys: deploy it again to rewrite it.',
    );
  }
  if (parsed.data.version !== version) {
    throw new ConfigError(
      `The workspace list in the state table (${where}) says it is version ${quotedVersion(parsed.data.version)}, ` +
        `but the poller's MIDAXO_WORKSPACES_VERSION is ${version}: the item was changed by hand. ` +
        'Deploy the stack again to rewrite it.',
    );
  }
  return parsed.data.workspaces;
}

/** A version read from the table is echoed only when it is one. */
function quotedVersion(text: string): string {
  return WORKSPACE_LIST_VERSION.test(text) ? text : '(not a version)';
}

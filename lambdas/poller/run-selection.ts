/**
 * Narrows the configured workspaces to those a payload names (`workspaces`, `processIds`). A name that
 * is not configured is refused, naming it, before anything is read: a targeted run never polls more,
 * or other, than it was asked to.
 */
import { ConfigError } from '../../shared/config/config-error.js';
import type { WorkspaceConfig } from '../../shared/config/workspace-list.js';
import { quoted, type RunSelection } from './poller-event.js';

type Workspace = Pick<WorkspaceConfig, 'name' | 'processIds'>;

/** The selected workspaces, each with only its selected processes; every workspace when nothing is named. */
export function selectWorkspaces<W extends Workspace>(
  configured: readonly W[],
  selection: RunSelection,
): W[] {
  const problems: string[] = [];
  const named = selection.workspaces;
  const unknownWorkspaces = (named ?? []).filter((name) => !configured.some((w) => w.name === name));
  if (unknownWorkspaces.length > 0) {
    problems.push(
      `- workspaces: ${unknownWorkspaces.map(quoted).join(', ')} not configured; configured: ${listed(configured.map((w) => w.name))}`,
    );
  }
  const inScope = named === undefined ? [...configured] : configured.filter((w) => named.includes(w.name));
  const wanted = selection.processIds;
  const unknownProcesses = (wanted ?? []).filter((id) => !inScope.some((w) => w.processIds.includes(id)));
  if (unknownProcesses.length > 0) {
    const where = named === undefined ? 'in any workspace' : `in workspaces ${named.map(quoted).join(', ')}`;
    problems.push(`- processIds: ${unknownProcesses.map(quoted).join(', ')} not configured ${where}`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid invocation payload:\n${problems.join('\n')}`);
  if (wanted === undefined) return inScope;
  return inScope
    .map((workspace) => ({
      ...workspace,
      processIds: workspace.processIds.filter((id) => wanted.includes(id)),
    }))
    .filter((workspace) => workspace.processIds.length > 0);
}

/** The configured names an operator can use, cut short for a large deployment. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 20).map(quoted).join(', ');
  return names.length > 20 ? `${shown} and ${names.length - 20} more` : shown;
}

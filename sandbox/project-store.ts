/**
 * The sandbox's workspace: projects per process, kept as copies so callers cannot change them behind its back.
 */
import type { JsonObject } from '../shared/core/json.js';
import type { SandboxProject, SandboxProjectInput } from './sandbox-types.js';

export interface ProjectStore {
  hasProcess(processId: string): boolean;
  addProcess(processId: string): void;
  upsert(processId: string, project: SandboxProjectInput): SandboxProject;
  update(processId: string, projectId: string, patch: JsonObject): SandboxProject;
  delete(processId: string, projectId: string): boolean;
  /** The process's projects sorted by id; the stored objects themselves, not to be modified. */
  sorted(processId: string): readonly SandboxProject[];
}

export function createProjectStore(now: () => Date): ProjectStore {
  const processes = new Map<string, Map<string, SandboxProject>>();
  const sortedCache = new Map<string, readonly SandboxProject[]>();

  function projectsOf(processId: string): Map<string, SandboxProject> {
    let projects = processes.get(processId);
    if (projects === undefined) {
      projects = new Map();
      processes.set(processId, projects);
    }
    return projects;
  }

  function put(processId: string, project: SandboxProject): SandboxProject {
    projectsOf(processId).set(project.id, project);
    sortedCache.delete(processId);
    return cloneJson(project);
  }

  return {
    hasProcess: (processId) => processes.has(processId),
    addProcess: (processId) => void projectsOf(processId),
    upsert(processId, project) {
      if (typeof project.id !== 'string' || project.id === '') {
        throw new TypeError('A sandbox project needs a non-empty string id');
      }
      const updatedAt = typeof project.updatedAt === 'string' ? project.updatedAt : now().toISOString();
      return put(processId, { ...cloneJson(project), updatedAt });
    },
    update(processId, projectId, patch) {
      const current = processes.get(processId)?.get(projectId);
      if (current === undefined) throw new Error(`No project ${projectId} in sandbox process ${processId}`);
      const updatedAt = typeof patch.updatedAt === 'string' ? patch.updatedAt : now().toISOString();
      return put(processId, { ...current, ...cloneJson(patch), id: projectId, updatedAt });
    },
    delete(processId, projectId) {
      sortedCache.delete(processId);
      return processes.get(processId)?.delete(projectId) ?? false;
    },
    sorted(processId) {
      let sorted = sortedCache.get(processId);
      if (sorted === undefined) {
        sorted = [...(processes.get(processId)?.values() ?? [])].sort((a, b) => compareIds(a.id, b.id));
        sortedCache.set(processId, sorted);
      }
      return sorted;
    },
  };
}

/** Code-unit order, the same the cursor comparison uses. */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * A copy of JSON data. Through JSON text rather than structuredClone, whose serializer gives up a few
 * thousand levels down, sooner than JSON does: the sandbox must be able to serve the deep projects the
 * poller is tested against.
 */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

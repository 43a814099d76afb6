/**
 * Self time of a V8 CPU profile (`.cpuprofile`), summed per function and per place, largest first.
 * Only busy time counts: idle samples, and the profiler's own work (stopping it and handing the profile
 * over, under `node:inspector`), are left out.
 */

export interface CpuProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples: readonly number[];
  /** Microseconds since the previous sample, one per sample. */
  readonly timeDeltas: readonly number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly ms: number;
  /** Of the busy time sampled. */
  readonly share: number;
}

export interface ProfileTop {
  /** Busy time sampled. */
  readonly totalMs: number;
  readonly functions: readonly ProfileEntry[];
  readonly places: readonly ProfileEntry[];
}

export function topSelfTime(profile: CpuProfile, repoRoot: string, entries: number): ProfileTop {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const excluded = excludedNodes(profile.nodes);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined || excluded.has(id)) return;
    totalUs += us;
    const place = placeOf(frame.url, repoRoot);
    const name = frame.functionName || '(anonymous)';
    const where = frame.url === '' ? '' : ` ${place}:${frame.lineNumber + 1}`;
    add(byFunction, `${name}${where}`, us);
    add(byPlace, frame.url === '' ? name : place, us);
  });
  const ranked = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, entries)
      .map(([name, us]) => ({ name, ms: us / 1000, share: totalUs === 0 ? 0 : us / totalUs }));
  return { totalMs: totalUs / 1000, functions: ranked(byFunction), places: ranked(byPlace) };
}

/** Idle samples, and every node under a frame of `node:inspector` (the profiler at work on itself). */
function excludedNodes(nodes: readonly CpuProfileNode[]): Set<number> {
  const excluded = new Set<number>();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const exclude = (id: number) => {
    excluded.add(id);
    for (const child of byId.get(id)?.children ?? []) exclude(child);
  };
  for (const node of nodes) {
    if (node.callFrame.functionName === '(idle)' || node.callFrame.url === 'node:inspector') exclude(node.id);
  }
  return excluded;
}

/** An npm package by its name, a file of the repository by its path in it, anything else as it is. */
export function placeOf(url: string, repoRoot: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope = '', name = ''] = path.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path;
}

function add(totals: Map<string, number>, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}

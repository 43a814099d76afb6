/**
 * Wall and CPU time of one piece of work in this process. `process.cpuUsage` counts every thread of the
 * process (main, GC, libuv), which is why the sandbox runs in a separate process: its CPU is not ours.
 */
export interface Measured<T> {
  readonly result: T;
  readonly wallMs: number;
  /** User + system CPU time of this process during the work. */
  readonly cpuMs: number;
}

export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { result, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

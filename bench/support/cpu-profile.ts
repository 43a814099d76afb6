/**
 * Optional CPU profiles of the measured runs: with `BENCH_CPU_PROFILE_DIR` set, the poller process
 * records a V8 CPU profile around each run and writes it there (open it in Chrome DevTools, or list
 * its top entries with `npx tsx bench/profile-top.ts <file>`). The profiler costs CPU of its own, so
 * the bench's CPU figures of a profiled run are not comparable with an unprofiled one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export const CPU_PROFILE_DIR_VARIABLE = 'BENCH_CPU_PROFILE_DIR';

/** Sampling interval in microseconds: finer than V8's default 1,000 so a 300 ms run has ~3,000 samples. */
const SAMPLING_INTERVAL_US = 100;

export interface RunProfiler {
  /** Runs `work`, profiled when profiling is on; `name` (without extension) names the file written. */
  profile<T>(work: () => Promise<T>, name: (result: T) => string): Promise<T>;
}

export function runProfilerFromEnv(env: NodeJS.ProcessEnv = process.env): RunProfiler {
  const dir = env[CPU_PROFILE_DIR_VARIABLE];
  if (dir === undefined || dir === '') return { profile: (work) => work() };
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  return {
    async profile(work, name) {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
      await session.post('Profiler.start');
      const result = await work();
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(dir, `${name(result)}.cpuprofile`), JSON.stringify(profile));
      return result;
    },
  };
}

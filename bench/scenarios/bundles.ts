/**
 * Size and cold import time of the poller's Lambda bundle beside a bundle of the three bare AWS SDK
 * clients. Both are built with the options of the CDK stack's NodejsFunction (esbuild, ESM, minified,
 * node target of the nodejs24.x runtime, AWS SDK bundled, the createRequire banner, external source map).
 *
 * Each import is timed inside a fresh node process, as wall time and as the CPU time the process spent
 * on it (all its threads). Rounds import one bundle after the other, the order alternating, and the
 * comparison is the median over rounds of the two bundles' ratio in the same round: the machine's load
 * stretches both imports of a round alike. CPU time leaves out the time spent waiting for a core on a
 * busy machine, and on Lambda, where a function gets a share of a vCPU, CPU time is what an import costs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BENCH_TOPIC_ARN, COLD_IMPORT_ROUNDS } from '../bench-model.js';
import { bundleLikeTheStack } from '../support/lambda-bundle.js';
import { median } from '../support/median.js';
import type { BenchContext } from './bench-context.js';

export interface BundleFigures {
  readonly name: string;
  readonly entry: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Wall time of the import. */
  readonly importMsMedian: number;
  /** CPU time (user and system, all threads) of the process during the import. */
  readonly importCpuMsMedian: number;
  /** One per round, in round order: the same index is the same round for every bundle. */
  readonly importMsSamples: readonly number[];
  readonly importCpuMsSamples: readonly number[];
}

interface ImportTiming {
  readonly wallMs: number;
  readonly cpuMs: number;
}

const BUNDLES = [
  { name: 'poller (lambdas/poller/handler.ts)', entry: 'lambdas/poller/handler.ts', file: 'poller.mjs' },
  {
    name: 'bare SDK clients (DynamoDB, SNS, Secrets Manager)',
    entry: 'bench/bundle/bare-sdk-clients.ts',
    file: 'bare-sdk.mjs',
  },
] as const;

/**
 * The handler reads and validates its configuration at import, as on a Lambda cold start, with the
 * variables the stack sets (the workspace list itself is read at the first invocation, not at import).
 */
const IMPORT_ENV = {
  AWS_REGION: 'eu-west-1',
  // Node 20 here; Lambda runs node 24, where the SDK prints no upgrade notice during the import.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  MIDAXO_INSTANCE: 'eu',
  MIDAXO_WORKSPACES_VERSION: '0123456789abcdef',
  STATE_TABLE_NAME: 'bench-state',
  TOPIC_ARN: BENCH_TOPIC_ARN,
};

const IMPORT_SCRIPT =
  'const cpu = process.cpuUsage(); const started = performance.now(); ' +
  'await import(process.env.BENCH_IMPORT_URL); const wallMs = performance.now() - started; ' +
  'const used = process.cpuUsage(cpu); ' +
  'process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));';

export class BundleMeasurementError extends Error {
  override readonly name = 'BundleMeasurementError';
}

export async function measureBundles(
  context: Pick<BenchContext, 'progress'>,
  outDir: string,
): Promise<BundleFigures[]> {
  mkdirSync(outDir, { recursive: true });
  const built = [];
  for (const bundle of BUNDLES) {
    context.progress(`bundling ${bundle.entry}`);
    const outfile = join(outDir, bundle.file);
    await bundleLikeTheStack(bundle.entry, outfile);
    built.push({ ...bundle, outfile, samples: [] as ImportTiming[] });
  }
  context.progress(`cold imports: ${COLD_IMPORT_ROUNDS} rounds, a fresh node process per bundle each`);
  for (let round = 0; round < COLD_IMPORT_ROUNDS; round++) {
    const order = round % 2 === 0 ? built : [...built].reverse();
    for (const bundle of order) bundle.samples.push(coldImport(bundle.outfile));
  }
  return built.map((bundle) => {
    const code = readFileSync(bundle.outfile);
    return {
      name: bundle.name,
      entry: bundle.entry,
      bytes: statSync(bundle.outfile).size,
      gzipBytes: gzipSync(code).length,
      importMsMedian: median(bundle.samples.map((sample) => sample.wallMs)),
      importCpuMsMedian: median(bundle.samples.map((sample) => sample.cpuMs)),
      importMsSamples: bundle.samples.map((sample) => sample.wallMs),
      importCpuMsSamples: bundle.samples.map((sample) => sample.cpuMs),
    };
  });
}

function coldImport(file: string): ImportTiming {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT], {
    env: { PATH: process.env.PATH, ...IMPORT_ENV, BENCH_IMPORT_URL: pathToFileURL(file).href },
    encoding: 'utf8',
  });
  const timing = result.status === 0 ? importTimingOf(result.stdout) : undefined;
  if (timing === undefined) {
    throw new BundleMeasurementError(
      `Importing ${file} failed (exit ${result.status}): ${result.stderr.trim()}`,
    );
  }
  return timing;
}

function importTimingOf(stdout: string): ImportTiming | undefined {
  try {
    const { wallMs, cpuMs } = JSON.parse(stdout) as Partial<ImportTiming>;
    return Number.isFinite(wallMs) && Number.isFinite(cpuMs)
      ? { wallMs: wallMs as number, cpuMs: cpuMs as number }
      : undefined;
  } catch {
    return undefined;
  }
}

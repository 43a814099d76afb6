/**
 * Size and cold import time of the poller's Lambda bundle beside a bundle of the three bare AWS SDK
 * clients. Both are built with the options of the CDK stack's NodejsFunction (esbuild, ESM, minified,
 * node target of the nodejs24.x runtime, AWS SDK bundled, the createRequire banner, external source map).
 * Import time is measured in fresh node processes, alternating the bundles, and the median reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BENCH_TOPIC_ARN, COLD_IMPORT_SAMPLES } from '../bench-model.js';
import { median } from '../support/median.js';
import type { BenchContext } from './bench-context.js';

export interface BundleFigures {
  readonly name: string;
  readonly entry: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly importMsMedian: number;
  readonly importMsSamples: readonly number[];
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The banner the stack's bundling sets, so bundled CommonJS can still `require` node built-ins. */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";
const NODE_TARGET = 'node24';

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
  'const started = performance.now(); await import(process.env.BENCH_IMPORT_URL); ' +
  'process.stdout.write(String(performance.now() - started));';

export class BundleMeasurementError extends Error {
  override readonly name = 'BundleMeasurementError';
}

export async function measureBundles(context: BenchContext, outDir: string): Promise<BundleFigures[]> {
  mkdirSync(outDir, { recursive: true });
  const built = [];
  for (const bundle of BUNDLES) {
    context.progress(`bundling ${bundle.entry}`);
    const outfile = join(outDir, bundle.file);
    await build({
      entryPoints: [join(REPO_ROOT, bundle.entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: NODE_TARGET,
      mainFields: ['module', 'main'],
      banner: { js: CREATE_REQUIRE_BANNER },
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      logLevel: 'silent',
    });
    built.push({ ...bundle, outfile, samples: [] as number[] });
  }
  context.progress(`cold imports: ${COLD_IMPORT_SAMPLES} fresh node processes per bundle`);
  for (let sample = 0; sample < COLD_IMPORT_SAMPLES; sample++) {
    for (const bundle of built) bundle.samples.push(coldImportMs(bundle.outfile));
  }
  return built.map((bundle) => {
    const code = readFileSync(bundle.outfile);
    return {
      name: bundle.name,
      entry: bundle.entry,
      bytes: statSync(bundle.outfile).size,
      gzipBytes: gzipSync(code).length,
      importMsMedian: median(bundle.samples),
      importMsSamples: bundle.samples,
    };
  });
}

function coldImportMs(file: string): number {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_SCRIPT], {
    env: { PATH: process.env.PATH, ...IMPORT_ENV, BENCH_IMPORT_URL: pathToFileURL(file).href },
    encoding: 'utf8',
  });
  const ms = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new BundleMeasurementError(
      `Importing ${file} failed (exit ${result.status}): ${result.stderr.trim()}`,
    );
  }
  return ms;
}

/**
 * Builds a bundle as the CDK stack's NodejsFunction builds a Lambda's code: esbuild, ESM, minified, the
 * node target of the nodejs24.x runtime, AWS SDK bundled, the createRequire banner, external source map.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The banner the stack's bundling sets, so bundled CommonJS can still `require` node built-ins. */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";
const NODE_TARGET = 'node24';

/** Bundles `entry` (a path in the repository) into `outfile`. */
export async function bundleLikeTheStack(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(REPO_ROOT, entry)],
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
}

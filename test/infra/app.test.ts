/**
 * The CDK app as `cdk synth` runs it: configuration from cdk.json, cdk-nag registered, and the real
 * poller and Slack forwarder bundled by esbuild. The one infra test that bundles, so a broken bundle
 * fails CI. It loads no CDK code itself (the app runs in child processes), so it starts fast.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cdkJsonContext } from './cdk-json.js';

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
  Resources: Record<string, { Type: string; Properties: { Description?: string; Code?: { S3Key: string } } }>;
}

/**
 * The directory esbuild's output went to for the function whose description starts with `description`,
 * found through the asset manifest by the function's S3 key.
 */
function bundleDirOf(outdir: string, description: string): string {
  const template = JSON.parse(
    readFileSync(join(outdir, 'MidaxoChangeNotifier.template.json'), 'utf8'),
  ) as CloudAssemblyTemplate;
  const functions = Object.values(template.Resources).filter(
    (resource) =>
      resource.Type === 'AWS::Lambda::Function' && resource.Properties.Description?.startsWith(description),
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

/**
 * Checks a bundle as Lambda would run it: one ESM file with the AWS SDK inside and a source map, loaded
 * from a directory with no node_modules above it (so any module left outside the bundle fails), with
 * only the environment the stack gives the function.
 */
function expectLoadableBundle(bundleDir: string, env: Record<string, string>): void {
  const bundle = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');
  expect(bundle.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
  expect(bundle.match(/import[\w\s{},*$]*from\s*["']@aws-sdk\/[^"']+/g)).toBeNull();
  expect(existsSync(join(bundleDir, 'index.mjs.map'))).toBe(true);

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
      env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(load.status, load.stderr).toBe(0);
}

describe('the CDK app', () => {
  it('synthesizes cdk.json with a Slack target added, bundling the poller and the Slack forwarder', {
    timeout: 240_000,
  }, () => {
    const { outdir, status, stderr } = synthApp({
      ...cdkJsonContext(),
      notifications: [{ type: 'slack', name: 'deals', secret: { create: true } }],
    });
    expect(status, stderr).toBe(0);

    expectLoadableBundle(bundleDirOf(outdir, 'Polls Midaxo'), {
      MIDAXO_INSTANCE: 'eu',
      MIDAXO_WORKSPACES_VERSION: '0123456789abcdef',
      STATE_TABLE_NAME: 'state',
      TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:changes',
    });
    expectLoadableBundle(bundleDirOf(outdir, 'Posts Midaxo change events to the Slack target "deals"'), {
      SLACK_WEBHOOK_SECRET_ID: 'midaxo/slack-deals',
      SLACK_RETRY_BUDGET_SECONDS: '20',
    });
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

/**
 * The local command end to end, as a user runs it: a child process in an empty folder, talking to a sandbox
 * over HTTP, with its exit code, stdout and stderr observed from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FLAGS } from '../../local/cli-flags.js';
import { startMidaxoSandbox } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';

const REPO = resolve(import.meta.dirname, '../..');
const TSX = join(REPO, 'node_modules/tsx/dist/cli.mjs');
const MAIN = join(REPO, 'local/main.ts');

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

/** The parent's environment without anything the command reads, so the tests see only what they set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['MIDAXO_CLIENT_ID', 'MIDAXO_CLIENT_SECRET', 'WEBHOOK_SECRET']) delete env[name];
  return { ...env, ...extra };
}

describe('local command', () => {
  let dir: string;
  const children: ChildProcess[] = [];

  function start(args: string[], env: Record<string, string> = {}): Run {
    const child = spawn(process.execPath, [TSX, MAIN, ...args], { cwd: dir, env: cleanEnv(env) });
    children.push(child);
    const run: Run = {
      child,
      stdout: '',
      stderr: '',
      exited: once(child, 'exit').then(([code]) => code as number | null),
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      run.stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      run.stderr += chunk.toString();
    });
    return run;
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-cli-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('--once against the sandbox prints the baseline as JSON events, saves state and exits 0 with the database closed', async () => {
    const run = start(['--once', '--publish-baseline', '--json', '--projects', '25']);

    expect(await run.exited).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(25);
    expect(events.every((event) => event.type === 'com.midaxo.project.created')).toBe(true);
    expect(events[0].source).toBe('https://midaxo-sandbox.invalid/processes/sandbox-demo');
    expect(run.stderr).toContain('first cycle: published 25 created events');
    expect(existsSync(join(dir, '.local-state/notifier.sqlite'))).toBe(true);
    // SQLite removes the write-ahead log when the last connection closes cleanly.
    expect(existsSync(join(dir, '.local-state/notifier.sqlite-wal'))).toBe(false);
  });

  it('--once records a first cycle silently, and a second run with the same state starts from its watermark', async () => {
    const state = join(dir, 'custom', 'state.sqlite');
    const first = start(['--once', '--state', state, '--projects', '10']);
    expect(await first.exited).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toContain('first cycle: recorded 10 projects without publishing them');

    const second = start(['--once', '--state', state, '--projects', '10']);
    expect(await second.exited).toBe(0);
    expect(second.stderr).toContain('sandbox/sandbox-demo: no changes');
  });

  it('keeps polling the edited sandbox, prints readable events, and stops cleanly on SIGINT', async () => {
    const run = start(['--interval', '0.2', '--projects', '30', '--seed', '7']);

    await until(
      () => /^updated · .* · project prj-\d{6} · process sandbox-demo · id [0-9a-f]{32}$/m.test(run.stdout),
      'an updated event',
    );
    expect(run.stdout).toMatch(/^ {2}\S+: .+ → .+$/m);
    run.child.kill('SIGINT');

    expect(await run.exited).toBe(0);
    expect(run.stderr).toContain('sandbox editor changed');
    expect(run.stderr).toMatch(/Stopped/);
    expect(existsSync(join(dir, '.local-state/notifier.sqlite-wal'))).toBe(false);
  });

  it('also stops cleanly on SIGTERM', async () => {
    const run = start(['--interval', '0.2', '--projects', '5']);
    await until(() => run.stderr.includes('first cycle'), 'the first cycle');

    run.child.kill('SIGTERM');

    expect(await run.exited).toBe(0);
    expect(run.stderr).toContain('SIGTERM: stopping');
  });

  it('--help explains every flag', async () => {
    const run = start(['--help']);

    expect(await run.exited).toBe(0);
    const documented = [
      'instance',
      'process',
      'api-url',
      'auth-url',
      'once',
      'json',
      'webhook',
      'webhook-secret',
      'sns-topic-arn',
      'state',
      'interval',
      'publish-baseline',
      'help',
    ];
    for (const flag of new Set([...documented, ...Object.keys(FLAGS)]))
      expect(run.stdout).toContain(`--${flag}`);
    expect(run.stdout).toContain('MIDAXO_CLIENT_ID');
    expect(run.stdout).toContain('WEBHOOK_SECRET');
    expect(run.stdout).toMatch(/Exit codes: 0 .* 1 .* 2 /);
  });

  it('exits 2 with the reason on bad flags', async () => {
    const run = start(['--interval', 'often']);

    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain('--interval: expected seconds');
    expect(run.stderr).toContain('--help');
  });

  describe('against a Midaxo API given by --api-url', () => {
    let sandbox: Awaited<ReturnType<typeof startMidaxoSandbox>>;
    beforeEach(async () => {
      sandbox = await startMidaxoSandbox({ processes: { 'proc-a': sampleProjects(12) } });
    });
    afterEach(async () => {
      await sandbox.close();
    });
    const apiFlags = () => [
      '--api-url',
      sandbox.apiUrl,
      '--auth-url',
      sandbox.authUrl,
      '--process',
      'proc-a',
    ];

    it('--once with a wrong client secret exits 1, says the credentials were rejected, and never prints the secret', async () => {
      const secret = `wrong-${randomBytes(8).toString('hex')}`;
      const run = start([...apiFlags(), '--once'], {
        MIDAXO_CLIENT_ID: 'sandbox-client',
        MIDAXO_CLIENT_SECRET: secret,
      });

      expect(await run.exited).toBe(1);
      expect(run.stderr).toContain('custom/proc-a: FAILED');
      expect(run.stderr).toMatch(/client credentials were rejected \(HTTP 401/);
      expect(run.stderr + run.stdout).not.toContain(secret);
      expect(run.stdout).toBe('');
    });

    it('--once reads the credentials from ./.env and polls the API', async () => {
      writeFileSync(
        join(dir, '.env'),
        'MIDAXO_CLIENT_ID=sandbox-client\nMIDAXO_CLIENT_SECRET="sandbox-secret"\n',
      );
      const run = start([...apiFlags(), '--once', '--publish-baseline']);

      expect(await run.exited).toBe(0);
      expect(run.stdout.match(/^created · /gm)).toHaveLength(12);
      expect(run.stdout).toContain(`process proc-a`);
    });

    it('--once without credentials exits 2 naming the variables to set', async () => {
      const run = start([...apiFlags(), '--once']);

      expect(await run.exited).toBe(2);
      expect(run.stderr).toContain('MIDAXO_CLIENT_ID not set');
      expect(run.stderr).toContain('MIDAXO_CLIENT_SECRET not set');
    });
  });

  it('POSTs each event to --webhook, signed with WEBHOOK_SECRET', async () => {
    const key = randomBytes(32);
    const received: { id: string; valid: boolean; type: string }[] = [];
    const receiver = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const id = String(req.headers['webhook-id']);
      const expected = createHmac('sha256', key)
        .update(`${id}.${String(req.headers['webhook-timestamp'])}.${body}`)
        .digest('base64');
      received.push({
        id,
        valid: req.headers['webhook-signature'] === `v1,${expected}`,
        type: JSON.parse(body).type,
      });
      res.writeHead(204).end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/midaxo`;
      const run = start(['--once', '--publish-baseline', '--projects', '4', '--webhook', url], {
        WEBHOOK_SECRET: `whsec_${key.toString('base64')}`,
      });

      expect(await run.exited).toBe(0);
      expect(received).toHaveLength(4);
      expect(
        received.every((request) => request.valid && request.type === 'com.midaxo.project.created'),
      ).toBe(true);
      expect(run.stderr).toContain('events to stdout, 1 webhook');
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });
});

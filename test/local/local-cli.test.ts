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
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FLAGS } from '../../local/cli-flags.js';
import { startMidaxoSandbox } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import { localMainArgs } from '../support/local-main.js';

const REPO = resolve(import.meta.dirname, '../..');

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

interface EditorChange {
  readonly projectId: string;
  /** `stage`, `owner`, … (the field edited), `added` or `removed`. */
  readonly change: string;
}

interface JsonEvent {
  readonly type: string;
  readonly data: { projectId: string; changes: { path: string; before?: unknown; after?: unknown }[] };
}

/** What the sandbox editor says it did: `sandbox editor changed prj-000155 owner, prj-000201 added`. */
function editorChanges(stderr: string): EditorChange[] {
  return [...stderr.matchAll(/sandbox editor changed (.+)$/gm)].flatMap(([, list = '']) =>
    list.split(', ').map((item) => {
      const [projectId = '', change = ''] = item.split(' ');
      return { projectId, change };
    }),
  );
}

function jsonEvents(stdout: string): JsonEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonEvent);
}

/** An event shows an editor change: the project created, deleted, or updated in the field edited. */
function matches(event: JsonEvent, edit: EditorChange): boolean {
  if (event.data.projectId !== edit.projectId) return false;
  if (edit.change === 'added') return event.type === 'com.midaxo.project.created';
  if (edit.change === 'removed') return event.type === 'com.midaxo.project.deleted';
  return (
    event.type === 'com.midaxo.project.updated' &&
    event.data.changes.some((change) => change.path.split('/')[1] === edit.change)
  );
}

/** The parent's environment without anything the command reads, so the tests see only what they set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const read = [
    'MIDAXO_CLIENT_ID',
    'MIDAXO_CLIENT_SECRET',
    'WEBHOOK_SECRET',
    'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  ];
  for (const name of read) delete env[name];
  return { ...env, ...extra };
}

/** The sandbox as the state file keeps it: its setup (edit rounds included) and every deal's body. */
function savedSandbox(path: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return {
      setup: db.prepare('SELECT * FROM sandbox_setup').all(),
      projects: db.prepare('SELECT * FROM sandbox_projects ORDER BY process_id, project_id').all(),
    };
  } finally {
    db.close();
  }
}

describe('local command', () => {
  let dir: string;
  const children: ChildProcess[] = [];

  function start(args: string[], env: Record<string, string> = {}): Run {
    const child = spawn(process.execPath, localMainArgs(args), { cwd: dir, env: cleanEnv(env) });
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
    expect(events[0].source).toBe(
      'https://midaxo-sandbox.invalid/processes/sandbox-demo/projects/prj-000001',
    );
    expect(run.stderr).toContain('first cycle: published 25 created events');
    expect(existsSync(join(dir, '.local-state/notifier.sqlite'))).toBe(true);
    // SQLite removes the write-ahead log when the last connection closes cleanly.
    expect(existsSync(join(dir, '.local-state/notifier.sqlite-wal'))).toBe(false);
  });

  it('--replay-since prints again, with the same ids, what the event log recorded since then, and polls nothing', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const first = start(['--once', '--publish-baseline', '--json', '--projects', '5']);
    expect(await first.exited).toBe(0);

    const replay = start(['--replay-since', since, '--json']);

    expect(await replay.exited).toBe(0);
    expect(jsonEvents(replay.stdout)).toEqual(jsonEvents(first.stdout));
    expect(jsonEvents(replay.stdout)).toHaveLength(5);
    expect(replay.stderr).toContain('one replay of the events recorded since');
    expect(replay.stderr).toContain('replayed 5 recorded events from the event log, same ids');
  });

  it('--replay-since twice leaves the sandbox as it was: no edit round, no saved edit, the same events each time', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const first = start(['--once', '--publish-baseline', '--json', '--projects', '5']);
    expect(await first.exited).toBe(0);
    const sandboxBefore = savedSandbox(join(dir, '.local-state/notifier.sqlite'));

    for (let pass = 0; pass < 2; pass++) {
      const replay = start(['--replay-since', since, '--json']);
      expect(await replay.exited).toBe(0);
      expect(jsonEvents(replay.stdout)).toEqual(jsonEvents(first.stdout));
      expect(replay.stderr).not.toContain('sandbox editor changed');
      expect(replay.stderr).toContain('nothing polled or edited');
    }

    expect(savedSandbox(join(dir, '.local-state/notifier.sqlite'))).toEqual(sandboxBefore);
  });

  it('--replay-since refuses what is not an instant, naming the flag', async () => {
    const run = start(['--replay-since', 'yesterday']);

    expect(await run.exited).toBe(2);
    expect(run.stderr).toContain('--replay-since: expected an RFC 3339 instant');
  });

  it('--once records a first cycle silently; a second run goes on with the same sandbox and shows what its editor changed', async () => {
    const state = join(dir, 'custom', 'state.sqlite');
    const first = start(['--once', '--state', state, '--projects', '10']);
    expect(await first.exited).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toContain('first cycle: recorded 10 projects without publishing them');

    const second = start(['--once', '--json', '--state', state]);
    expect(await second.exited).toBe(0);
    expect(second.stderr).toContain('with 10 sample projects (kept in the state file');
    const edits = editorChanges(second.stderr);
    expect(edits.length).toBeGreaterThan(0);
    for (const edit of edits) expect(jsonEvents(second.stdout).some((e) => matches(e, edit))).toBe(true);

    const other = start(['--once', '--state', state, '--projects', '20']);
    expect(await other.exited).toBe(2);
    expect(other.stderr).toContain('keeps a sandbox made with --projects 10 --seed 1');
  });

  it('shows created, updated and deleted events soon after a fresh start', async () => {
    const run = start(['--json', '--interval', '0.5']);

    await until(() => {
      const types = new Set(jsonEvents(run.stdout).map((e) => e.type));
      return ['created', 'updated', 'deleted'].every((kind) => types.has(`com.midaxo.project.${kind}`));
    }, 'created, updated and deleted events');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.stderr).toMatch(/sweep: .*1 deleted/);
  });

  it('on a second start shows each editor change as an event whose diff matches it, and nothing else', async () => {
    const first = start(['--json', '--interval', '0.5']);
    await until(() => editorChanges(first.stderr).length >= 4, 'a few edits');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = start(['--json', '--interval', '0.5']);
    await until(() => editorChanges(second.stderr).length >= 8, 'more edits');
    const edits = editorChanges(second.stderr);
    for (const edit of edits) {
      await until(
        () => jsonEvents(second.stdout).some((e) => matches(e, edit)),
        `an event for "${edit.projectId} ${edit.change}"`,
        10_000,
      );
    }
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    const made = [...editorChanges(first.stderr), ...edits];
    const events = jsonEvents(second.stdout);
    for (const e of events)
      expect(
        made.some((edit) => matches(e, edit)),
        JSON.stringify(e.data),
      ).toBe(true);
    // Diffs go forwards: each change of a field starts where the previous one of the same field ended.
    const last = new Map<string, string>();
    for (const e of events) {
      for (const change of e.data.changes) {
        const key = `${e.data.projectId}${change.path}`;
        if (e.type.endsWith('.updated') && last.has(key))
          expect(JSON.stringify(change.before)).toBe(last.get(key));
        last.set(key, JSON.stringify(change.after));
      }
    }
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
    expect(run.stdout).toMatch(/Exit codes: 0 .* 1 [\s\S]* 2 /);
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

  it('keeps cycles succeeding and the healthy receiver served once per event while another webhook answers 410', async () => {
    const received: Record<string, string[]> = { '/gone': [], '/ok': [] };
    const receiver = createServer(async (req, res) => {
      for await (const _ of req);
      received[req.url ?? '']?.push(String(req.headers['webhook-id']));
      res.writeHead(req.url === '/gone' ? 410 : 204).end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    try {
      const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
      const flags = [
        '--publish-baseline',
        '--projects',
        '4',
        '--webhook',
        `${base}/gone`,
        '--webhook',
        `${base}/ok`,
      ];
      const env = { WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}` };
      const run = start([...flags, '--interval', '0.3'], env);
      await until(() => (received['/ok']?.length ?? 0) >= 8, 'deliveries to the healthy receiver');
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);

      const ok = received['/ok'] ?? [];
      expect(new Set(ok).size).toBe(ok.length);
      expect(received['/gone']?.length).toBeLessThanOrEqual(4);
      expect(run.stderr).toContain('answered 410 Gone, so it gets nothing more until the next start');
      expect(run.stderr).not.toContain('FAILED');
      // The baseline was recorded: a later run goes on from it instead of starting over.
      const again = start(['--once', '--json'], env);
      expect(await again.exited).toBe(0);
      expect(again.stderr).not.toContain('first cycle');
      expect(again.stderr).not.toContain('FAILED');
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });

  it('prints no NodeVersionSupportWarning when it makes an AWS SDK client on Node.js 20', async () => {
    const run = start(
      ['--once', '--projects', '3', '--sns-topic-arn', 'arn:aws:sns:eu-west-1:123456789012:midaxo-changes'],
      // Nowhere to go, should anything be published: no test calls AWS.
      { AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9' },
    );

    expect(await run.exited).toBe(0);
    expect(run.stderr).toContain('events to stdout, SNS topic');
    expect(run.stderr).not.toContain('NodeVersionSupportWarning');
  });

  it('prints nothing but events on stdout through npm start --silent, so documented pipes work', async () => {
    const npm = spawn(
      'npm',
      [
        'start',
        '--silent',
        '--prefix',
        REPO,
        '--',
        '--once',
        '--json',
        '--publish-baseline',
        '--projects',
        '3',
        // npm runs the script in the package's folder; the state belongs in the test's.
        '--state',
        join(dir, 'state.sqlite'),
      ],
      {
        cwd: dir,
        env: cleanEnv(),
      },
    );
    children.push(npm);
    let stdout = '';
    npm.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const [code] = await once(npm, 'exit');

    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(JSON.parse(line).type).toBe('com.midaxo.project.created');
  });
});

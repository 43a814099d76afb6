import { describe, expect, it } from 'vitest';
import { readFlags } from '../../local/cli-flags.js';
import { parseLocalOptions } from '../../local/local-options.js';
import { midaxoCredentialsFromEnv } from '../../local/midaxo-credentials-env.js';
import { UsageError } from '../../local/usage-error.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const parse = (args: string[], env: Record<string, string> = {}) => parseLocalOptions(readFlags(args), env);
const problemsOf = (args: string[], env: Record<string, string> = {}) => {
  try {
    parse(args, env);
  } catch (e: unknown) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error('expected the flags to be refused');
};

describe('local command options', () => {
  it('with no flags, runs the sandbox demo every 5 seconds with state in .local-state and events as text', () => {
    expect(parse([])).toEqual({
      source: { kind: 'sandbox', projects: undefined, seed: undefined },
      statePath: '.local-state/notifier.sqlite',
      intervalSeconds: 5,
      once: false,
      reconcile: false,
      confirmDeletions: false,
      deletionGuard: { maxDeletions: 10, maxDeletionsPercent: 20 },
      sweepEvery: 2,
      json: false,
      publishBaseline: false,
      webhooks: undefined,
      snsTopicArn: undefined,
    });
  });

  it("polls the instance's documented endpoints with --instance and the given processes", () => {
    const options = parse(['--instance', 'us', '--process', 'p1', '--process', 'p2', '--process', 'p1']);

    expect(options.source).toEqual({
      kind: 'midaxo',
      label: 'us',
      endpoints: {
        apiUrl: 'https://api.app-us.midaxo.com',
        authUrl: 'https://auth.app-us.midaxo.com/oauth/token',
        audience: 'kappa-appsync-app-api',
      },
      processIds: ['p1', 'p2'],
    });
  });

  it('takes --api-url and --auth-url without an instance, e.g. for a local stand-in', () => {
    const options = parse([
      '--api-url',
      'http://localhost:8080/',
      '--auth-url',
      'http://localhost:8080/oauth/token',
      '--process',
      'p1',
    ]);

    expect(options.source).toMatchObject({
      kind: 'midaxo',
      label: 'custom',
      endpoints: { apiUrl: 'http://localhost:8080', authUrl: 'http://localhost:8080/oauth/token' },
    });
  });

  it('reads every scheduling and output flag', () => {
    const options = parse([
      '--once',
      '--reconcile',
      '--json',
      '--publish-baseline',
      '--interval',
      '0.5',
      '--state',
      '/tmp/x.sqlite',
      '--webhook',
      'https://hooks.example.com/a',
      '--webhook',
      'http://127.0.0.1:9000/b',
      '--webhook-secret',
      SECRET,
      '--sns-topic-arn',
      'arn:aws:sns:eu-west-1:123456789012:midaxo-changes',
      '--projects',
      '1000',
      '--seed',
      '42',
      '--sweep-every',
      '3',
      '--confirm-deletions',
      '--max-deletions',
      '0',
      '--max-deletions-percent',
      '5',
    ]);

    expect(options).toEqual({
      source: { kind: 'sandbox', projects: 1000, seed: 42 },
      statePath: '/tmp/x.sqlite',
      intervalSeconds: 0.5,
      once: true,
      reconcile: true,
      confirmDeletions: true,
      deletionGuard: { maxDeletions: 0, maxDeletionsPercent: 5 },
      sweepEvery: 3,
      json: true,
      publishBaseline: true,
      webhooks: { urls: ['https://hooks.example.com/a', 'http://127.0.0.1:9000/b'], secret: SECRET },
      snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:midaxo-changes',
    });
  });

  it('takes --confirm-deletions only with --reconcile', () => {
    expect(() => parse(['--confirm-deletions'])).toThrow(
      '--confirm-deletions: only applies to a sweep: add --reconcile',
    );
  });

  it('sweeps for deletions every 2nd cycle with the sandbox and every 720th against the real API', () => {
    expect(parse([]).sweepEvery).toBe(2);
    expect(parse(['--instance', 'eu', '--process', 'p1']).sweepEvery).toBe(720);
    expect(parse(['--instance', 'eu', '--process', 'p1', '--sweep-every', '0']).sweepEvery).toBe(0);
  });

  it('says what range a negative number is out of, instead of calling it an ambiguous argument', () => {
    expect(problemsOf(['--interval', '-1'])).toBe(
      'Invalid flags:\n- --interval: expected seconds from 0.1 to 86400',
    );
    expect(problemsOf(['--sweep-every', '-2'])).toContain('--sweep-every: expected a whole number from 0');
    expect(() => readFlags(['--state', '-x'])).toThrow(
      'Invalid flags:\n- --state: expected a value after it',
    );
  });

  it('takes a webhook secret without the whsec_ prefix, as Standard Webhooks libraries do', () => {
    const bare = Buffer.alloc(32, 7).toString('base64');
    const options = parse(['--webhook', 'https://hooks.example.com/a'], { WEBHOOK_SECRET: bare });
    expect(options.webhooks?.secret).toBe(bare);
  });

  it('takes the webhook secret from WEBHOOK_SECRET when the flag is absent', () => {
    const options = parse(['--webhook', 'https://hooks.example.com/a'], { WEBHOOK_SECRET: SECRET });
    expect(options.webhooks?.secret).toBe(SECRET);
  });

  it('lists every bad flag at once, each with what it expects', () => {
    const message = problemsOf([
      '--interval',
      'soon',
      '--webhook',
      'http://hooks.example.com/a',
      '--sns-topic-arn',
      'my-topic',
      '--projects',
      '2.5',
      '--instance',
      'asia',
    ]);

    expect(message).toContain('--interval: expected seconds from 0.1 to 86400');
    expect(message).toContain('--webhook: expected an https:// URL (http:// only for localhost)');
    expect(message).toContain('--sns-topic-arn: expected an SNS topic ARN');
    expect(message).toContain('--projects: expected a whole number from 1 to 1000000');
    expect(message).toContain('--instance: expected "eu" or "us"');
  });

  it('takes an SNS topic in any partition, as the poller does, and refuses one with no account', () => {
    const chinaTopic = 'arn:aws-cn:sns:cn-north-1:123456789012:midaxo-changes';

    expect(parse(['--sns-topic-arn', chinaTopic]).snsTopicArn).toBe(chinaTopic);
    expect(problemsOf(['--sns-topic-arn', 'arn:aws:sns:eu-west-1:1234:midaxo-changes'])).toContain(
      '--sns-topic-arn: expected an SNS topic ARN',
    );
  });

  it('refuses at start a webhook on a port fetch never connects to, naming the port', () => {
    const message = problemsOf(
      ['--webhook', 'http://localhost:9/hook', '--webhook', 'https://hooks.example.com:6000/a'],
      {
        WEBHOOK_SECRET: SECRET,
      },
    );

    expect(message).toContain(
      '--webhook: port 9 is one fetch never connects to (a "bad port" of the Fetch standard, refused by Node.js and browsers alike), so every delivery would fail: use another port',
    );
    expect(message).toContain('--webhook: port 6000 is one fetch never connects to');
    expect(
      parse(['--webhook', 'http://localhost:9000/hook'], { WEBHOOK_SECRET: SECRET }).webhooks?.urls,
    ).toEqual(['http://localhost:9000/hook']);
  });

  it('refuses user info in every URL flag, without repeating it', () => {
    const withSecret = 'https://:s3cret-value@example.com';
    const message = problemsOf(
      ['--api-url', withSecret, '--auth-url', withSecret, '--webhook', withSecret, '--process', 'p1'],
      { WEBHOOK_SECRET: SECRET },
    );

    for (const flag of ['--api-url', '--auth-url', '--webhook'])
      expect(message).toContain(
        `${flag}: expected an https:// URL (http:// only for localhost), without user:password@`,
      );
    expect(message).not.toContain('s3cret');
  });

  it('explains the flags that only make sense together', () => {
    expect(problemsOf(['--process', 'p1'])).toContain('--process: polls the real API: add --instance eu|us');
    expect(problemsOf(['--instance', 'eu'])).toContain('--process: expected at least one process id');
    expect(problemsOf(['--api-url', 'https://api.example.com', '--process', 'p1'])).toContain(
      '--instance: expected "eu" or "us" (or both --api-url and --auth-url)',
    );
    expect(problemsOf(['--instance', 'eu', '--process', 'p1', '--projects', '5'])).toContain(
      '--projects: only applies to the sandbox',
    );
    expect(problemsOf(['--webhook', 'https://hooks.example.com/a'])).toContain(
      '--webhook-secret: expected with --webhook (or set WEBHOOK_SECRET)',
    );
  });

  it('refuses a malformed webhook secret without repeating it', () => {
    const message = problemsOf([
      '--webhook',
      'https://hooks.example.com/a',
      '--webhook-secret',
      'whsec_hunter2',
    ]);

    expect(message).toContain(
      '--webhook-secret: expected base64 of 24 to 64 random bytes, with or without the "whsec_" prefix',
    );
    expect(message).not.toContain('hunter2');
  });

  it('refuses unknown flags and stray arguments without repeating a stray value', () => {
    expect(() => readFlags(['--intervall', '5'])).toThrow("Unknown option '--intervall'");
    expect(() => readFlags(['--once', 'whsec_stray'])).toThrow(UsageError);
    expect(() => readFlags(['--once', 'whsec_stray'])).not.toThrow(/whsec_stray/);
  });
});

describe('Midaxo credentials from the environment', () => {
  it('reads MIDAXO_CLIENT_ID and MIDAXO_CLIENT_SECRET', () => {
    expect(midaxoCredentialsFromEnv({ MIDAXO_CLIENT_ID: 'id', MIDAXO_CLIENT_SECRET: 's3cr3t' })).toEqual({
      clientId: 'id',
      clientSecret: 's3cr3t',
    });
  });

  it('names what is missing and never the secret', () => {
    const attempt = () => midaxoCredentialsFromEnv({ MIDAXO_CLIENT_SECRET: 's3cr3t', MIDAXO_CLIENT_ID: ' ' });

    expect(attempt).toThrow(/MIDAXO_CLIENT_ID is empty/);
    expect(attempt).not.toThrow(/s3cr3t/);
  });
});

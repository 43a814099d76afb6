import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config/config-error.js';
import { loadPollerConfig } from '../../../shared/config/poller-config.js';

const minimal = {
  MIDAXO_INSTANCE: 'eu',
  MIDAXO_SECRET_ID: 'midaxo/acme',
  MIDAXO_PROCESS_IDS: 'p1, p2',
  STATE_TABLE_NAME: 'state',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:changes',
};

function errorOf(env: Record<string, string | undefined>): string {
  try {
    loadPollerConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadPollerConfig', () => {
  it('reads a single workspace with sensible defaults', () => {
    expect(loadPollerConfig(minimal)).toMatchObject({
      midaxo: { instance: 'eu' },
      workspaces: {
        kind: 'listed',
        workspaces: [{ name: 'default', secretId: 'midaxo/acme', processIds: ['p1', 'p2'] }],
      },
      pageSize: 100,
      overlapSeconds: 300,
      ignoredFields: new Set(['updatedAt']),
      publishBaseline: false,
      deletionGuard: { maxDeletions: 10, maxDeletionsPercent: 20 },
    });
  });

  it('reads the deletion guard from MAX_DELETIONS and MAX_DELETIONS_PERCENT, refusing a share over 100', () => {
    expect(
      loadPollerConfig({ ...minimal, MAX_DELETIONS: '0', MAX_DELETIONS_PERCENT: '5' }).deletionGuard,
    ).toEqual({ maxDeletions: 0, maxDeletionsPercent: 5 });
    expect(errorOf({ ...minimal, MAX_DELETIONS_PERCENT: '120' })).toContain(
      'MAX_DELETIONS_PERCENT: expected a whole number from 0 to 100',
    );
  });

  it('reads several workspaces from MIDAXO_WORKSPACES', () => {
    const workspaces = [
      {
        name: 'acme',
        secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:a',
        processIds: ['p1'],
      },
      { name: 'globex', secretId: 'globex', processIds: ['p2', 'p3'] },
    ];
    const env = { ...minimal, MIDAXO_SECRET_ID: undefined, MIDAXO_WORKSPACES: JSON.stringify(workspaces) };

    expect(loadPollerConfig(env).workspaces).toEqual({ kind: 'listed', workspaces });
  });

  it('reads the workspaces from the state table when the environment names the version the stack stored', () => {
    const env = { ...minimal, MIDAXO_SECRET_ID: undefined, MIDAXO_PROCESS_IDS: undefined };

    expect(loadPollerConfig({ ...env, MIDAXO_WORKSPACES_VERSION: '0123456789abcdef' }).workspaces).toEqual({
      kind: 'stored',
      version: '0123456789abcdef',
    });
  });

  it('refuses a stored version beside workspaces listed in the environment, naming the variables to unset', () => {
    expect(errorOf({ ...minimal, MIDAXO_WORKSPACES_VERSION: '0123456789abcdef' })).toContain(
      '- MIDAXO_WORKSPACES_VERSION: the workspaces are read from the state table: unset MIDAXO_SECRET_ID, MIDAXO_PROCESS_IDS',
    );
  });

  it('refuses a version the stack cannot have set', () => {
    const env = { ...minimal, MIDAXO_SECRET_ID: undefined, MIDAXO_PROCESS_IDS: undefined };

    expect(errorOf({ ...env, MIDAXO_WORKSPACES_VERSION: 'latest' })).toContain(
      'MIDAXO_WORKSPACES_VERSION: expected the 16 hex digits the stack sets',
    );
  });

  it('names every missing variable', () => {
    const message = errorOf({});

    for (const name of ['STATE_TABLE_NAME', 'TOPIC_ARN']) expect(message).toContain(name);
    expect(errorOf({ ...minimal, MIDAXO_INSTANCE: undefined })).toContain(
      '- MIDAXO_INSTANCE: expected "eu" or "us"',
    );
  });

  it('reads workspaces on different instances, needing MIDAXO_INSTANCE only for those that name none', () => {
    const workspaces = [
      { name: 'acme-eu', secretId: 'acme-eu', processIds: ['p1'], instance: 'eu' },
      {
        name: 'acme-us',
        secretId: 'acme-us',
        processIds: ['p2'],
        instance: 'us',
        apiUrl: 'https://midaxo-proxy.example.com',
      },
      { name: 'globex', secretId: 'globex', processIds: ['p3'] },
    ];
    const env = {
      ...minimal,
      MIDAXO_SECRET_ID: undefined,
      MIDAXO_PROCESS_IDS: undefined,
      MIDAXO_WORKSPACES: JSON.stringify(workspaces),
    };

    expect(loadPollerConfig(env).workspaces).toEqual({ kind: 'listed', workspaces });
    expect(errorOf({ ...env, MIDAXO_INSTANCE: undefined })).toContain(
      '- MIDAXO_INSTANCE: expected "eu" or "us" for the workspaces that name no instance (globex)',
    );
    const ownInstances = JSON.stringify(workspaces.slice(0, 2));
    expect(
      loadPollerConfig({ ...env, MIDAXO_INSTANCE: undefined, MIDAXO_WORKSPACES: ownInstances }).midaxo,
    ).toEqual({ instance: undefined, apiUrl: undefined, authUrl: undefined, audience: undefined });
  });

  it('refuses a workspace instance or URL it cannot use', () => {
    const workspaces = [
      { name: 'a', secretId: 'a', processIds: ['p1'], instance: 'asia', authUrl: 'http://auth.example.com' },
    ];
    const message = errorOf({
      ...minimal,
      MIDAXO_SECRET_ID: undefined,
      MIDAXO_WORKSPACES: JSON.stringify(workspaces),
    });

    expect(message).toContain('MIDAXO_WORKSPACES.0.instance: expected "eu" or "us"');
    expect(message).toContain('MIDAXO_WORKSPACES.0.authUrl: expected an https:// URL');
  });

  it('refuses a Midaxo endpoint on a port fetch never connects to, saying why', () => {
    expect(errorOf({ ...minimal, MIDAXO_API_URL: 'https://proxy.example.com:6000' })).toMatch(
      /MIDAXO_API_URL.*port 6000 is one fetch never connects to/,
    );
    expect(
      errorOf({
        ...minimal,
        MIDAXO_SECRET_ID: undefined,
        MIDAXO_PROCESS_IDS: undefined,
        MIDAXO_WORKSPACES: JSON.stringify([
          { name: 'acme', secretId: 's', processIds: ['p'], authUrl: 'https://auth.example.com:25/token' },
        ]),
      }),
    ).toMatch(/port 25 is one fetch never connects to/);
  });

  it('writes the email text into SNS messages unless SNS_EMAIL_TEXT is "false"', () => {
    expect(loadPollerConfig(minimal).emailText).toBe(true);
    expect(loadPollerConfig({ ...minimal, SNS_EMAIL_TEXT: 'false' }).emailText).toBe(false);
    expect(loadPollerConfig({ ...minimal, SNS_EMAIL_TEXT: 'true' }).emailText).toBe(true);
    expect(errorOf({ ...minimal, SNS_EMAIL_TEXT: 'no' })).toMatch(
      /SNS_EMAIL_TEXT.*expected "true" or "false"/,
    );
  });

  it('reads the processes polled at once per workspace, 8 unless set', () => {
    expect(loadPollerConfig(minimal).processConcurrency).toBe(8);
    expect(loadPollerConfig({ ...minimal, PROCESS_CONCURRENCY: '1' }).processConcurrency).toBe(1);
    expect(errorOf({ ...minimal, PROCESS_CONCURRENCY: '0' })).toContain(
      'PROCESS_CONCURRENCY: expected a whole number from 1 to 50',
    );
  });

  it('explains the allowed instances', () => {
    expect(errorOf({ ...minimal, MIDAXO_INSTANCE: 'asia' })).toContain(
      'MIDAXO_INSTANCE: expected "eu" or "us"',
    );
  });

  it('accepts plain http only for loopback overrides', () => {
    expect(loadPollerConfig({ ...minimal, MIDAXO_API_URL: 'http://127.0.0.1:8080' }).midaxo.apiUrl).toBe(
      'http://127.0.0.1:8080',
    );
    expect(errorOf({ ...minimal, MIDAXO_AUTH_URL: 'http://auth.example.com/oauth/token' })).toContain(
      'MIDAXO_AUTH_URL: expected an https:// URL',
    );
  });

  it('accepts only https when deployed on Lambda, where loopback is no Midaxo server', () => {
    const onLambda = { ...minimal, AWS_LAMBDA_FUNCTION_NAME: 'midaxo-change-notifier-poller' };

    expect(errorOf({ ...onLambda, MIDAXO_API_URL: 'http://127.0.0.1:8080' })).toContain(
      'MIDAXO_API_URL: expected an https:// URL (plain http only in local runs)',
    );
    expect(errorOf({ ...onLambda, MIDAXO_AUTH_URL: 'http://localhost/oauth/token' })).toContain(
      'MIDAXO_AUTH_URL',
    );
    expect(loadPollerConfig({ ...onLambda, MIDAXO_API_URL: 'https://api.example.com' }).midaxo.apiUrl).toBe(
      'https://api.example.com',
    );
  });

  it.each(['https://user:pass@api.example.com', 'https://:s3cret-value@api.example.com'])(
    'refuses user info in an endpoint URL without repeating it (%s)',
    (url) => {
      const message = errorOf({ ...minimal, MIDAXO_API_URL: url, MIDAXO_AUTH_URL: `${url}/oauth/token` });

      expect(message).toContain(
        'MIDAXO_API_URL: expected an https:// URL (http:// only for localhost), without user:password@',
      );
      expect(message).toContain('MIDAXO_AUTH_URL: expected');
      expect(message).not.toMatch(/pass@|s3cret/);
    },
  );

  it('says what is wrong with a value that is no URL at all', () => {
    expect(errorOf({ ...minimal, MIDAXO_API_URL: 'not a url' })).toContain(
      'MIDAXO_API_URL: expected an https:// URL',
    );
  });

  it('rejects a page size out of range', () => {
    expect(errorOf({ ...minimal, PAGE_SIZE: '0' })).toContain(
      'PAGE_SIZE: expected a whole number from 1 to 1000',
    );
  });

  it('asks for the process ids when neither form of workspace is given', () => {
    expect(errorOf({ ...minimal, MIDAXO_PROCESS_IDS: ' , ' })).toContain('MIDAXO_PROCESS_IDS');
  });

  it('says what MIDAXO_WORKSPACES should look like when it is not JSON', () => {
    expect(errorOf({ ...minimal, MIDAXO_WORKSPACES: '[{name:' })).toContain(
      'MIDAXO_WORKSPACES: expected JSON',
    );
  });

  it("reads the webhook targets' replay queues, refusing text that is no JSON map of SQS queue URLs", () => {
    const queues = { crm: 'https://sqs.eu-west-1.amazonaws.com/123456789012/crm' };
    expect(
      loadPollerConfig({ ...minimal, WEBHOOK_REPLAY_QUEUES: JSON.stringify(queues) }).replayQueues,
    ).toEqual(queues);
    expect(loadPollerConfig(minimal).replayQueues).toEqual({});
    for (const bad of ['{crm:', '["https://sqs.x"]', '{"crm":"http://example.com/q"}']) {
      expect(errorOf({ ...minimal, WEBHOOK_REPLAY_QUEUES: bad })).toContain(
        'expected JSON {"<webhook target name>": "<SQS queue URL>", ...}',
      );
    }
  });

  it('reads the ignored fields as a comma-separated list', () => {
    expect(loadPollerConfig({ ...minimal, IGNORED_FIELDS: 'updatedAt, lastViewedAt' }).ignoredFields).toEqual(
      new Set(['updatedAt', 'lastViewedAt']),
    );
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentWithDotenv } from '../../local/dotenv.js';

describe('.env reading', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads KEY=value lines as Node reads them: comments, blanks, quotes and export', () => {
    writeFileSync(
      join(dir, '.env'),
      [
        '# Midaxo credentials',
        '',
        'MIDAXO_CLIENT_ID=abc123',
        'export MIDAXO_CLIENT_SECRET = "p#ss word\\n"',
        "WEBHOOK_SECRET='whsec_a#b'",
        'PLAIN=value # a trailing comment',
      ].join('\n'),
    );

    expect(environmentWithDotenv(dir, {})).toEqual({
      MIDAXO_CLIENT_ID: 'abc123',
      MIDAXO_CLIENT_SECRET: 'p#ss word\n',
      WEBHOOK_SECRET: 'whsec_a#b',
      PLAIN: 'value',
    });
  });

  it('lets the environment win over the file', () => {
    writeFileSync(join(dir, '.env'), 'MIDAXO_CLIENT_ID=from-file\nMIDAXO_CLIENT_SECRET=file-secret\n');

    const env = environmentWithDotenv(dir, { MIDAXO_CLIENT_ID: 'from-env', OTHER: undefined });

    expect(env.MIDAXO_CLIENT_ID).toBe('from-env');
    expect(env.MIDAXO_CLIENT_SECRET).toBe('file-secret');
  });

  it('is the environment alone when there is no .env file', () => {
    expect(environmentWithDotenv(dir, { A: '1' })).toEqual({ A: '1' });
  });
});

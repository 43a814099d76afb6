import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentWithDotenv, parseDotenv } from '../../local/dotenv.js';

describe('.env reading', () => {
  it('reads KEY=value lines, skipping comments and blanks, with quotes and export', () => {
    const text = [
      '# Midaxo credentials',
      '',
      'MIDAXO_CLIENT_ID=abc123',
      'export MIDAXO_CLIENT_SECRET = "p#ss \\"word\\"\\n"',
      "WEBHOOK_SECRET='whsec_a#b'",
      'PLAIN=value # a trailing comment',
      'EMPTY=',
    ].join('\n');

    expect(parseDotenv(text)).toEqual({
      MIDAXO_CLIENT_ID: 'abc123',
      MIDAXO_CLIENT_SECRET: 'p#ss "word"\n',
      WEBHOOK_SECRET: 'whsec_a#b',
      PLAIN: 'value',
      EMPTY: '',
    });
  });

  it('names the line it cannot read, but not its content', () => {
    const attempt = () => parseDotenv('A=1\nthis line holds s3cr3t\n', '/x/.env');

    expect(attempt).toThrow('/x/.env line 2: expected KEY=value');
    expect(attempt).not.toThrow(/s3cr3t/);
  });

  describe('merged with the environment', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
});

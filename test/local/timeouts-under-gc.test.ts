/**
 * Timeouts that fire: a receiver that never answers must not hold a cycle, even when garbage collection
 * runs while the request waits. A child process with `--expose-gc` forces it every few milliseconds.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/timeouts-under-gc.ts');

describe('request timeouts under garbage collection', () => {
  it('a caller timeout through the stoppable fetch and the webhook timeout both fire against a silent receiver', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', FIXTURE],
      {
        cwd: resolve(import.meta.dirname, '../..'),
        timeout: 25_000,
      },
    );

    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(result).toEqual({
      callerTimeout: 'TimeoutError',
      webhookNotices: [expect.stringMatching(/no answer within 300 ms; 1 event queued for it/)],
      queued: 1,
    });
  });
});

/**
 * A replay is invoked synchronously (its answer says where it stopped). The AWS CLI gives up reading
 * after 60 s and sends the same Invoke again, up to its attempt limit: a replay longer than a minute
 * would then run two or three times and send every event as often. Every documented synchronous
 * invocation of the poller therefore reads as long as a Lambda may run and is attempted once.
 */
import { describe, expect, it } from 'vitest';
import { documentedPages } from './documented-pages.js';

const pages = documentedPages();

/** Lambda's longest timeout, in seconds: the poller's may be set up to it. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

/** Each documented command that invokes the poller, its continuation lines joined. */
function pollerInvocations(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => /aws lambda invoke --function-name "?<PollerFunctionName/.test(line));
}

describe('documented invocations of the poller', () => {
  const invocations = pages.flatMap(([name, text]) =>
    pollerInvocations(text).map((command) => ({ name, command })),
  );
  const synchronous = invocations.filter(({ command }) => !command.includes('--invocation-type Event'));

  it('are found, replays among them', () => {
    expect(synchronous.filter(({ command }) => command.includes('"mode":"replay"')).length).toBeGreaterThan(
      2,
    );
  });

  it('wait for a synchronous run as long as it may take, and never let the CLI send it again', () => {
    for (const { name, command } of synchronous) {
      const readTimeout = Number(/--cli-read-timeout (\d+)/.exec(command)?.[1]);
      expect(readTimeout, `${name}: ${command}`).toBeGreaterThanOrEqual(LAMBDA_MAX_TIMEOUT_SECONDS);
      expect(command, name).toMatch(/AWS_MAX_ATTEMPTS=1 aws lambda invoke/);
    }
  });
});

/**
 * Nothing secret is ever logged: every byte a run writes (Powertools Logger at DEBUG, its metrics, any
 * console output), every error it throws (with its whole cause chain) and every summary it returns is
 * searched for the client secret, the tokens the sandbox issued and the Authorization values sent — in
 * the success path and in each error path, including servers that echo what they were sent.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { SandboxClient } from '../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../sandbox/sample-projects.js';
import type { RunSummary } from '../../shared/core/poll-run.js';
import {
  FAULT_CLIENT,
  type HandlerOverrides,
  type PollerHarness,
  SECRET_ID,
  startPollerHarness,
} from './poller-harness.js';
import { everythingIn } from './secret-watch.js';

const PROCESS = 'process-secrets';
/** A client of the sandbox whose tokens may list another process only: 403 for ours. */
const OUTSIDER: SandboxClient = {
  clientId: 'outsider-client',
  clientSecret: 'Outsider%Secret/with+symbols=1',
  processIds: ['somebody-elses-process'],
};

interface ObservedRuns {
  /** Everything written, thrown and returned, as one text to search. */
  readonly everything: string;
  readonly logged: string;
  readonly errors: unknown[];
  readonly summaries: RunSummary[];
}

describe('secrets in the output of poller runs, with DEBUG logging', () => {
  let harness: PollerHarness;

  beforeAll(async () => {
    harness = await startPollerHarness({
      dynamoDbEndpoint: inject('dynamoDbEndpoint'),
      processes: { [PROCESS]: sampleProjects(12) },
      sandbox: { clients: [FAULT_CLIENT, OUTSIDER], maxPageSize: 5 },
    });
    harness.secrets.watch('outsider client secret', OUTSIDER.clientSecret);
  });

  beforeEach(() => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    harness.setSecretString(secretOf(FAULT_CLIENT));
    harness.sandbox.setFaults({});
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  afterAll(async () => {
    await harness.close();
  });

  /** A fresh container (its own Logger at DEBUG, secret cache and token), invoked once per event. */
  async function observe(events: unknown[], overrides: HandlerOverrides = {}): Promise<ObservedRuns> {
    const outputBefore = harness.output().length;
    const errors: unknown[] = [];
    const summaries: RunSummary[] = [];
    const handler = harness.createHandler({ logger: null, ...overrides });
    for (const event of events) {
      harness.clock.advance(120);
      await harness
        .invoke(event, undefined, handler)
        .then((summary) => summaries.push(summary))
        .catch((error: unknown) => errors.push(error));
    }
    const logged = harness.output().slice(outputBefore);
    const everything = [logged, ...errors.map(everythingIn), JSON.stringify(summaries)].join('\n');
    return { everything, logged, errors, summaries };
  }

  const leaksIn = (runs: ObservedRuns) => harness.secrets.leaksIn(runs.everything);

  it('logs the run at DEBUG level without the secret, the token or the Authorization header', async () => {
    await observe([{ mode: 'poll' }]);
    const [first] = harness.sandbox.projects(PROCESS);
    harness.sandbox.updateProject(PROCESS, first?.id ?? '', { stage: 'Signing' });

    const runs = await observe([{ mode: 'poll' }, { mode: 'reconcile' }]);

    expect(runs.errors).toEqual([]);
    expect(runs.summaries[0]?.processes[0]).toMatchObject({ published: 1 });
    expect(runs.logged).toContain('Lambda invocation event');
    expect(runs.logged).toContain('Poll run finished');
    expect(runs.logged).toContain('"mode":"reconcile"');
    expect(harness.secrets.seen.tokens).toBeGreaterThan(0);
    expect(leaksIn(runs)).toEqual([]);
  });

  it('keeps the secret out of a rejection at the token endpoint (401)', async () => {
    const wrong = { ...FAULT_CLIENT, clientSecret: 'Wrong+Secret/Typed=In&Console' };
    harness.secrets.watch('mistyped client secret', wrong.clientSecret);
    harness.setSecretString(secretOf(wrong));

    const runs = await observe([{ mode: 'poll' }]);

    expect(String(runs.errors[0])).toMatch(/client credentials were rejected \(HTTP 401/);
    expect(leaksIn(runs)).toEqual([]);
  });

  it('keeps the token out of a persistent 401 on the listing and out of a 403', async () => {
    harness.sandbox.failNext({ kind: 'unauthorized', count: 2 });
    const unauthorized = await observe([{ mode: 'poll' }]);
    harness.setSecretString(secretOf(OUTSIDER));
    const forbidden = await observe([{ mode: 'poll' }]);

    expect(String(unauthorized.errors[0])).toMatch(/credentials rejected or no access.*HTTP 401/);
    expect(String(forbidden.errors[0])).toMatch(/credentials rejected or no access.*HTTP 403/);
    expect(leaksIn(unauthorized)).toEqual([]);
    expect(leaksIn(forbidden)).toEqual([]);
  });

  it('names the malformed secret without quoting any of it', async () => {
    const texts = [
      `client_id=${FAULT_CLIENT.clientId}&client_secret=${FAULT_CLIENT.clientSecret}`,
      JSON.stringify({ client_secret: FAULT_CLIENT.clientSecret }),
      JSON.stringify({ client_id: FAULT_CLIENT.clientSecret, client_secret: 42 }),
    ];

    for (const text of texts) {
      harness.setSecretString(text);
      const runs = await observe([{ mode: 'poll' }]);

      expect(String(runs.errors[0])).toContain(`Secret ${SECRET_ID}`);
      expect(leaksIn(runs)).toEqual([]);
    }
  });

  it('keeps tokens out of the error when the API keeps failing with 5xx and the run gives up', async () => {
    harness.sandbox.setFaults({ serverErrorRate: 1 });

    const runs = await observe([{ mode: 'poll' }]);

    expect(String(runs.errors[0])).toMatch(/server error \(HTTP 500\).*gave up after 5 attempts/);
    expect(leaksIn(runs)).toEqual([]);
  });

  it('keeps the token out of the error when the API echoes the Authorization header in a 400', async () => {
    const runs = await observe([{ mode: 'poll' }], {
      wrapFetch: (inner) => async (input, init) => {
        const authorization = new Headers(init?.headers).get('authorization');
        if (authorization === null) return inner(input, init);
        const message = `Invalid key=value pair in Authorization header: '${authorization}'`;
        return new Response(JSON.stringify({ message }), { status: 400 });
      },
    });

    expect(String(runs.errors[0])).toMatch(/request refused \(HTTP 400: .*Invalid key=value pair/);
    expect(harness.secrets.seen.authorizationValues).toBeGreaterThan(0);
    expect(leaksIn(runs)).toEqual([]);
  });

  it('keeps the secret out of the error when the token endpoint echoes the form it was sent', async () => {
    // Else the new container takes the token an earlier one cached and never asks the endpoint.
    await harness.forgetCachedTokens();
    const runs = await observe([{ mode: 'poll' }], {
      wrapFetch: (inner) => async (input, init) => {
        if (!String(input).endsWith('/oauth/token')) return inner(input, init);
        const body = {
          error: 'invalid_client',
          error_description: `Unknown client. Received: ${init?.body}`,
        };
        return new Response(JSON.stringify(body), { status: 401 });
      },
    });

    expect(String(runs.errors[0])).toMatch(/client credentials were rejected \(HTTP 401 invalid_client/);
    expect(leaksIn(runs)).toEqual([]);
  });
});

function secretOf(client: SandboxClient): string {
  return JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret });
}

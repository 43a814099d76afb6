/**
 * Wires the Midaxo adapter to a sandbox for tests: a token provider and a project source whose sleeps,
 * requests and sent headers are recorded instead of waited for or hidden.
 */

import { afterEach } from 'vitest';
import {
  DEFAULT_SANDBOX_CLIENT,
  type MidaxoSandbox,
  type MidaxoSandboxOptions,
  startMidaxoSandbox,
} from '../../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import type { Fetch } from '../../../shared/adapters/midaxo/http-exchange.js';
import {
  createMidaxoProjectSource,
  type MidaxoProjectSourceOptions,
  type MidaxoRequestInfo,
} from '../../../shared/adapters/midaxo/midaxo-project-source.js';
import {
  createTokenProvider,
  type TokenProvider,
  type TokenProviderOptions,
} from '../../../shared/adapters/midaxo/token-provider.js';
import type { ProjectSource } from '../../../shared/core/ports.js';

export interface SentRequest {
  readonly url: string;
  readonly headers: Headers;
  readonly body: string | undefined;
}

export interface MidaxoHarness {
  readonly sandbox: MidaxoSandbox;
  readonly tokens: TokenProvider;
  readonly source: ProjectSource;
  /** Delays the adapter asked to wait, in ms, in order. */
  readonly sleeps: number[];
  readonly requestInfos: MidaxoRequestInfo[];
  readonly sent: SentRequest[];
}

export interface HarnessOptions {
  readonly sandbox?: MidaxoSandboxOptions;
  readonly tokens?: Partial<TokenProviderOptions>;
  readonly source?: Partial<MidaxoProjectSourceOptions>;
}

/** Fixed jitter: backoff delays are exactly half their ceiling. */
export const HALF_JITTER = (): number => 0.5;

export async function startHarness(options: HarnessOptions = {}): Promise<MidaxoHarness> {
  const sandbox = await startMidaxoSandbox(options.sandbox);
  const sleeps: number[] = [];
  const requestInfos: MidaxoRequestInfo[] = [];
  const sent: SentRequest[] = [];
  const recordingFetch: Fetch = (input, init) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    sent.push({ url: String(input), headers: new Headers(init?.headers), body });
    return fetch(input, init);
  };
  const recordSleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const tokens = createTokenProvider({
    authUrl: sandbox.authUrl,
    audience: sandbox.audience,
    credentials: DEFAULT_SANDBOX_CLIENT,
    fetch: recordingFetch,
    sleep: recordSleep,
    random: HALF_JITTER,
    ...options.tokens,
  });
  const source = createMidaxoProjectSource({
    apiUrl: sandbox.apiUrl,
    tokens,
    pageSize: 2,
    fetch: recordingFetch,
    sleep: recordSleep,
    random: HALF_JITTER,
    onRequest: (info) => requestInfos.push(info),
    ...options.source,
  });
  return { sandbox, tokens, source, sleeps, requestInfos, sent };
}

/**
 * For a test file: `harness()` starts a harness whose sandbox holds five sample projects in `processId`,
 * and `closeAfterEach(close)` registers anything else to close; all of it is closed after each test.
 */
export function harnessPerTest(processId: string) {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const closeAfterEach = (close: () => Promise<void>) => {
    closers.push(close);
  };
  const harness = async (options: HarnessOptions = {}): Promise<MidaxoHarness> => {
    const started = await startHarness({
      ...options,
      sandbox: { processes: { [processId]: sampleProjects(5) }, ...options.sandbox },
    });
    closeAfterEach(() => started.sandbox.close());
    return started;
  };
  return { harness, closeAfterEach };
}

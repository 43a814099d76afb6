/**
 * Run as a child process with the deployed heap cap (see bounded-bodies.test.ts): asks the token endpoint
 * and the listing at the URL given for a page, and prints what each failed with, plus the heap used.
 * It would die with "Reached heap limit" if either read a reply of hundreds of megabytes whole.
 */
import { createMidaxoProjectSource } from '../../../shared/adapters/midaxo/midaxo-project-source.js';
import { createTokenProvider } from '../../../shared/adapters/midaxo/token-provider.js';

const [url = ''] = process.argv.slice(2);
const noWait = async () => {};
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'succeeded',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );

const tokenFailure = await failureOf(
  createTokenProvider({
    authUrl: `${url}/oauth/token`,
    audience: 'kappa-appsync-app-api',
    credentials: { clientId: 'client', clientSecret: 'secret' },
    sleep: noWait,
  }).getToken(),
);
const listingFailure = await failureOf(
  createMidaxoProjectSource({
    apiUrl: url,
    tokens: { getToken: async () => 'token', invalidate: () => {} },
    pageSize: 100,
    sleep: noWait,
  }).fetchPage({ processId: 'p1' }),
);
const heapUsedMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
process.stdout.write(JSON.stringify({ tokenFailure, listingFailure, heapUsedMiB }));

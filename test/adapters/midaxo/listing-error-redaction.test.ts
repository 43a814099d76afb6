import { afterEach, describe, expect, it } from 'vitest';
import { createMidaxoSourceFactory } from '../../../shared/adapters/midaxo/midaxo-source-factory.js';
import { type StubServer, startStubServer } from './stub-server.js';

const CREDENTIALS = { clientId: 'client-7', clientSecret: 'Listing+Secret/value=99' };
const basic = Buffer.from(`${CREDENTIALS.clientId}:${CREDENTIALS.clientSecret}`).toString('base64');

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe('listing error answers', () => {
  it.each([
    ['the client secret', `client_secret=${CREDENTIALS.clientSecret} is not allowed here`],
    ['the Basic id:secret form', `Authorization: Basic ${basic} refused`],
    ['the token', 'token listing-token-1234567 expired'],
  ])('never quote %s', async (_, echo) => {
    server = await startStubServer([
      { status: 200, body: { access_token: 'listing-token-1234567', expires_in: 3600 } },
      { status: 400, body: { message: `Bad request: ${echo}` } },
    ]);
    const openSource = createMidaxoSourceFactory({
      endpoints: { apiUrl: server.url, authUrl: `${server.url}/oauth/token`, audience: 'api' },
      pageSize: 10,
    });

    const error = await openSource('acme', CREDENTIALS)
      .fetchPage({ processId: 'p1' })
      .catch((e: unknown) => e);

    expect(String(error)).toContain('request refused (HTTP 400: {"message":"Bad request: ');
    expect(String(error)).toContain('[redacted]');
    expect(String(error)).not.toMatch(/Listing\+Secret|Secret\/value|listing-token-123/);
    expect(String(error)).not.toContain(basic.slice(8, 24));
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SANDBOX_CLIENT,
  type MidaxoSandbox,
  startMidaxoSandbox,
} from '../../../sandbox/midaxo-sandbox.js';
import { sampleProjects } from '../../../sandbox/sample-projects.js';
import { createMidaxoSourceFactory } from '../../../shared/adapters/midaxo/midaxo-source-factory.js';

const PROCESS = 'proc-f';
let sandbox: MidaxoSandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
});

describe('Midaxo source factory', () => {
  it('reuses the workspace token across runs and gets a new one when the credentials change', async () => {
    const rotated = { clientId: 'rotated-id', clientSecret: 'rotated-secret', processIds: [PROCESS] };
    sandbox = await startMidaxoSandbox({
      clients: [DEFAULT_SANDBOX_CLIENT, rotated],
      processes: { [PROCESS]: sampleProjects(3) },
    });
    const open = createMidaxoSourceFactory({
      endpoints: { apiUrl: sandbox.apiUrl, authUrl: sandbox.authUrl, audience: sandbox.audience },
      pageSize: 10,
    });

    await open('acme', DEFAULT_SANDBOX_CLIENT).fetchPage({ processId: PROCESS });
    await open('acme', DEFAULT_SANDBOX_CLIENT).fetchPage({ processId: PROCESS });
    expect(sandbox.counters.tokenRequests).toBe(1);

    const page = await open('acme', rotated).fetchPage({ processId: PROCESS });

    expect(sandbox.counters.tokenRequests).toBe(2);
    expect(page.projects).toHaveLength(3);
  });
});

import { defineConfig } from 'vitest/config';
import { quietSdkNodeVersionWarning } from './shared/config/sdk-node-warning.js';

// Set here, in vitest's own process, so the global setup (DynamoDB Local) and every test worker inherit it.
quietSdkNodeVersionWarning();

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['aws-sdk-client-mock-vitest/extend'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // EMF lines would bury the test report; their content is asserted through serializeMetrics.
    env: { POWERTOOLS_METRICS_DISABLED: 'true' },
  },
});

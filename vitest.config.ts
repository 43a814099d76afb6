import { defineConfig } from 'vitest/config';

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

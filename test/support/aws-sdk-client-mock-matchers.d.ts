// The matchers are registered at run time by vitest.config.ts `setupFiles`; this brings their types
// (toHaveReceivedCommandTimes and friends) to every test file for `tsc`.
import type {} from 'aws-sdk-client-mock-vitest/extend';

/**
 * Every in-process infra suite, in one test file. Vitest isolates test files, and loading aws-cdk-lib
 * costs seconds per file, so the suites (one per source file, beside the path they mirror) register
 * their tests here and share one import and one synthesized stack per configuration.
 * Run one suite with `npx vitest run test/infra/infra.test.ts -t Poller`.
 * app.test.ts stays apart: it runs the CDK app in child processes and bundles for real.
 */
import './config/read-notifier-config.suite.js';
import './constructs/state-table.suite.js';
import './constructs/encrypted-topic.suite.js';
import './constructs/workspace-secrets.suite.js';
import './constructs/referenced-secret.suite.js';
import './constructs/notifier-function.suite.js';
import './constructs/poller.suite.js';
import './constructs/schedules.suite.js';
import './constructs/subscription-filter-policy.suite.js';
import './constructs/notifications.suite.js';
import './constructs/paced-target-queue.suite.js';
import './constructs/webhook-endpoint.suite.js';
import './constructs/slack-forwarder.suite.js';
import './constructs/email-digest.suite.js';
import './constructs/monitoring.suite.js';
import './midaxo-change-notifier-stack.suite.js';
import './cfn-lint.suite.js';

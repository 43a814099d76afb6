/**
 * The CDK app: reads the configuration from context, builds the stack, and checks it against the
 * AWS Solutions rules of cdk-nag on every synth.
 * Layer: infrastructure (composition root).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../shared/config/config-error.js';
import { readNotifierConfig } from './config/read-notifier-config.js';
import { MidaxoChangeNotifierStack } from './midaxo-change-notifier-stack.js';

const app = new App();
try {
  new MidaxoChangeNotifierStack(app, 'MidaxoChangeNotifier', {
    description:
      'Midaxo change notifier: polls Midaxo Cloud for changed projects and publishes change events to SNS',
    config: readNotifierConfig(app),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (e: unknown) {
  // A configuration mistake is the user's to fix: show what to fix, not a stack trace.
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}

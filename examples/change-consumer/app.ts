/**
 * CDK app deploying the reference consumer beside a deployed notifier, checked against the same
 * cdk-nag AWS Solutions rules as the notifier:
 *
 *   npx cdk deploy --app 'npx tsx examples/change-consumer/app.ts' -c changeTopicArn=<TopicArn output>
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../../shared/config/config-error.js';
import { ChangeConsumerStack, changeTopicArnOf } from './change-consumer-stack.js';

const app = new App();
try {
  new ChangeConsumerStack(app, 'MidaxoChangeConsumer', {
    description: 'Reference consumer of Midaxo change events: applies them in order, each once',
    changeTopicArn: changeTopicArnOf(app),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
} catch (e: unknown) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}

/**
 * The context of cdk.json (feature flags and the example configuration), read without loading the CDK,
 * so a test that only spawns the CDK app stays cheap to import.
 */
import { readFileSync } from 'node:fs';

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/**
 * Vitest globalSetup: one DynamoDB Local for the whole test run, its endpoint handed to test files
 * through `inject('dynamoDbEndpoint')`.
 */
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's DynamoDB Local. */
    dynamoDbEndpoint: string;
  }
}

// Shared across projects of a workspace, so a run starts one instance however many projects use it.
let running: Promise<DynamoDbLocal> | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  running ??= startDynamoDbLocal();
  const dynamoDb = await running;
  project.provide('dynamoDbEndpoint', dynamoDb.endpoint);
  return async () => {
    if (running === undefined) return;
    running = undefined;
    await dynamoDb.stop();
  };
}

/**
 * The consumer's configuration, read once from the environment at init and validated with one schema:
 * the names of its two tables, which the CDK construct sets.
 */
import { z } from 'zod';
import { parseEnvironment } from '../../shared/config/config-error.js';

/** The Powertools `service` of its logs, apart from the notifier's own. */
export const CONSUMER_SERVICE_NAME = 'midaxo-change-consumer';

const tableName = (what: string) =>
  z
    .string({ error: `expected the name of the ${what} table` })
    .regex(
      /^[A-Za-z0-9_.-]{3,255}$/,
      `expected a DynamoDB table name (3-255 letters, digits, "_", "-", ".")`,
    );

const envSchema = z.object({
  IDEMPOTENCY_TABLE_NAME: tableName('idempotency'),
  PROJECTS_TABLE_NAME: tableName('projects'),
});

export interface ConsumerConfig {
  /** Where Powertools keeps the ids of the events already processed. */
  readonly idempotencyTableName: string;
  /** One item per project: the newest sequence applied and the project's view. */
  readonly projectsTableName: string;
}

export function loadConsumerConfig(env: Record<string, string | undefined>): ConsumerConfig {
  const e = parseEnvironment(envSchema, env, 'change consumer');
  return { idempotencyTableName: e.IDEMPOTENCY_TABLE_NAME, projectsTableName: e.PROJECTS_TABLE_NAME };
}

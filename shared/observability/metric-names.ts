/**
 * CloudWatch metric names the poller emits (as EMF) and the stack alarms on: one list, so code and alarms agree.
 * Every metric carries the Powertools `service` dimension and no other.
 */
export const METRICS_NAMESPACE = 'MidaxoChangeNotifier';
export const SERVICE_NAME = 'midaxo-change-notifier';

export const MetricName = {
  ProjectsScanned: 'ProjectsScanned',
  ProjectsCreated: 'ProjectsCreated',
  ProjectsUpdated: 'ProjectsUpdated',
  ProjectsDeleted: 'ProjectsDeleted',
  ApiRequests: 'ApiRequests',
  ApiRetries: 'ApiRetries',
  RunDuration: 'RunDuration',
  WatermarkLag: 'WatermarkLag',
  SuccessfulRuns: 'SuccessfulRuns',
  FailedWorkspaces: 'FailedWorkspaces',
  QuarantinedProjects: 'QuarantinedProjects',
  /** The oldest watermark of every configured process, from whichever run checked (staleness-check.ts). */
  OldestWatermarkAge: 'OldestWatermarkAge',
  DeletionsHeld: 'DeletionsHeld',
} as const;
/** A container checks every workspace's watermark at most this often; the staleness alarm's period follows. */
export const STALENESS_CHECK_EVERY_MINUTES = 10;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/**
 * What each deployed webhook worker emits, with the `service` dimension and `endpoint` (the target's
 * name), since every endpoint is alarmed on by itself.
 */
export const WebhookMetricName = {
  Delivered: 'WebhookDelivered',
  DeadLettered: 'WebhookDeadLettered',
  EndpointDisabled: 'WebhookEndpointDisabled',
} as const;
export const WEBHOOK_ENDPOINT_DIMENSION = 'endpoint';

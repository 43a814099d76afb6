/** An SNS topic's ARN, in every partition: what a function's environment or a stack's context names. */
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/**
 * A Secrets Manager secret's complete ARN, in every partition: what a template's Ref of a secret gives,
 * ending in the 6-character suffix Secrets Manager adds to the name (a partial ARN may match another secret).
 */
export const COMPLETE_SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/** An SNS topic's ARN, in every partition: what a function's environment or a stack's context names. */
export const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

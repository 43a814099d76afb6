/**
 * A Lambda-backed CloudFormation custom resource without the CDK Provider framework (one function, not
 * three): the request CloudFormation sends, validated with one schema, and the answer PUT to its
 * presigned `ResponseURL`. Every request gets an answer, SUCCESS or FAILED with a reason, so a failure
 * fails the deploy at once instead of leaving it waiting for the resource's service timeout.
 * Layer: adapter.
 */
import { z } from 'zod';
import { ConfigError, describeIssues } from '../../config/config-error.js';
import { secureUrl } from '../../support/secure-url.js';
import { errorCode } from '../../support/untrusted-text.js';

const requestSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  ResponseURL: z.string().refine((url) => secureUrl(url, { loopback: false }) !== undefined, {
    error: 'expected the https:// URL CloudFormation waits for the answer at',
  }),
  StackId: z.string().min(1),
  RequestId: z.string().min(1),
  LogicalResourceId: z.string().min(1),
  PhysicalResourceId: z.string().min(1).optional(),
  ResourceProperties: z.record(z.string(), z.unknown()),
});

export type CustomResourceRequest = z.infer<typeof requestSchema>;

/** What the resource's work resolved to: the id CloudFormation knows it by from now on. */
export interface CustomResourceOutcome {
  readonly physicalResourceId: string;
}

/** The answer's Reason is shown in the stack's events; CloudFormation takes 4096 bytes for all of it. */
const MAX_REASON_LENGTH = 1000;

/**
 * Runs `work` for a CloudFormation request and answers it. A request that cannot be answered (no
 * valid ResponseURL) throws; one whose work fails is answered FAILED with its `failureReason`.
 */
export async function answerCustomResource(
  event: unknown,
  work: (request: CustomResourceRequest) => Promise<CustomResourceOutcome>,
  fetchImpl: typeof fetch = globalThis.fetch,
): Promise<void> {
  const parsed = requestSchema.safeParse(event);
  if (!parsed.success) {
    throw new Error(`Not a CloudFormation custom resource request:\n${describeIssues(parsed.error.issues)}`);
  }
  const request = parsed.data;
  let answer: Record<string, unknown>;
  try {
    const { physicalResourceId } = await work(request);
    answer = { Status: 'SUCCESS', PhysicalResourceId: physicalResourceId };
  } catch (error: unknown) {
    answer = {
      Status: 'FAILED',
      Reason: failureReason(error).slice(0, MAX_REASON_LENGTH),
      // On a failed Create there is no id yet; CloudFormation still needs one.
      PhysicalResourceId: request.PhysicalResourceId ?? request.LogicalResourceId,
    };
  }
  const response = await fetchImpl(request.ResponseURL, {
    method: 'PUT',
    redirect: 'manual',
    // The URL is presigned without a content type: S3 refuses one it was not signed with.
    headers: { 'content-type': '' },
    body: JSON.stringify({
      ...answer,
      StackId: request.StackId,
      RequestId: request.RequestId,
      LogicalResourceId: request.LogicalResourceId,
    }),
  });
  if (!response.ok) throw new Error(`CloudFormation's response URL answered HTTP ${response.status}`);
}

/**
 * The stack's events show the Reason to anyone who may read the stack. A ConfigError's message is ours
 * and names what to fix without a value; any other error (an AWS SDK error, whose text may quote the
 * request, e.g. the key PutSecretValue was putting) is reported by its name alone.
 */
function failureReason(error: unknown): string {
  if (error instanceof ConfigError) return `${error.name}: ${error.message}`;
  return errorCode(error instanceof Error ? error.name : undefined) ?? 'unknown error';
}

/**
 * Makes an AWS SDK client answer its calls in-process: a bench-only middleware right before the HTTP
 * transport answers with the bytes the service would send instead of sending anything, so the client's
 * own serialization, retries, signing and response parsing all run but nothing ever leaves the machine.
 * Used where no local service exists.
 */
import type { MiddlewareClient } from './middleware-client.js';

export type LocalAnswer = (operation: string, input: Readonly<Record<string, unknown>>) => object;

/** How the service writes its answers: JSON (DynamoDB, Secrets Manager) or the query protocol's XML (SNS). */
export type WireFormat = 'json' | 'queryXml';

export class UnansweredCallError extends Error {
  override readonly name = 'UnansweredCallError';
}

export const LOCAL_ANSWER_MIDDLEWARE = 'benchLocalAnswer';
export const LOCAL_REQUEST_ID = 'bench-request';

export function answerLocally(
  client: MiddlewareClient,
  service: string,
  answer: LocalAnswer,
  wire: WireFormat = 'json',
): void {
  // Low priority in the deserialize step puts it inside the SDK's deserializer: it takes the place of the
  // transport, and the SDK parses its answer as it would parse the service's.
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const output = answer(operation, args.input as Readonly<Record<string, unknown>>);
      return { response: wireResponse(operation, output, wire) };
    },
    { step: 'deserialize', priority: 'low', name: `${LOCAL_ANSWER_MIDDLEWARE}${service}`, override: true },
  );
}

/** An answer for an operation the stand-in does not model: fails loudly instead of reaching AWS. */
export function unanswered(service: string, operation: string): never {
  throw new UnansweredCallError(`The bench's ${service} stand-in does not answer ${operation}`);
}

function wireResponse(operation: string, output: object, wire: WireFormat) {
  const body =
    wire === 'json'
      ? JSON.stringify(output)
      : `<${operation}Response><${operation}Result>${xmlOf(output)}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${LOCAL_REQUEST_ID}</RequestId></ResponseMetadata></${operation}Response>`;
  return {
    statusCode: 200,
    headers: {
      'content-type': wire === 'json' ? 'application/json' : 'text/xml',
      'x-amzn-requestid': LOCAL_REQUEST_ID,
    },
    body: Buffer.from(body, 'utf8'),
  };
}

/** The query protocol's XML of an output: members by name, list items as `<member>`. */
function xmlOf(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => `<member>${xmlOf(item)}</member>`).join('');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([name, member]) => `<${name}>${xmlOf(member)}</${name}>`)
      .join('');
  }
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

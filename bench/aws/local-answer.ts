/**
 * Makes an AWS SDK client answer its calls in-process: a bench-only middleware right before the HTTP
 * transport returns a made-up output instead of sending anything, so the client's own serialization,
 * retries and signing still run but nothing ever leaves the machine. Used where no local service exists.
 */
import type { MiddlewareClient } from './middleware-client.js';

export type LocalAnswer = (operation: string, input: Readonly<Record<string, unknown>>) => object;

export class UnansweredCallError extends Error {
  override readonly name = 'UnansweredCallError';
}

export const LOCAL_ANSWER_MIDDLEWARE = 'benchLocalAnswer';

export function answerLocally(client: MiddlewareClient, service: string, answer: LocalAnswer): void {
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const output = answer(operation, args.input as Readonly<Record<string, unknown>>);
      return {
        output: { $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 }, ...output },
        response: { statusCode: 200, headers: {} },
      };
    },
    { step: 'deserialize', priority: 'high', name: `${LOCAL_ANSWER_MIDDLEWARE}${service}`, override: true },
  );
}

/** An answer for an operation the stand-in does not model: fails loudly instead of reaching AWS. */
export function unanswered(service: string, operation: string): never {
  throw new UnansweredCallError(`The bench's ${service} stand-in does not answer ${operation}`);
}

/**
 * A setting whose value is JSON text (an environment variable the stack writes), parsed and then checked
 * against `shape`. Text that is no JSON gets `expected`, never the parser's message: that quotes the text.
 */
import { parseJsonOrUndefined } from '../support/json-text.js';
import * as z from '../support/schema.js';

export function jsonSetting<Shape extends z.ZodMiniType>(expected: string, shape: Shape) {
  return z.pipe(
    z.pipe(
      z.string(),
      z.transform((text, ctx) => {
        const value = parseJsonOrUndefined(text);
        if (value !== undefined) return value;
        ctx.issues.push({ code: 'custom', message: expected, input: text });
        return z.NEVER;
      }),
    ),
    shape,
  );
}

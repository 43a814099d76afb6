/**
 * A setting whose value is JSON text (an environment variable the stack writes), parsed and then checked
 * against `shape`. Text that is no JSON gets `expected`, never the parser's message: that quotes the text.
 */
import { parseJsonOrUndefined } from '../support/json-text.js';
import * as z from '../support/schema.js';

type JsonText = z.ZodMiniPipe<z.ZodMiniString<string>, z.ZodMiniTransform<unknown, string>>;

export function jsonSetting<Shape extends z.core.$ZodType<unknown, unknown>>(
  expected: string,
  shape: Shape,
): z.ZodMiniPipe<JsonText, Shape> {
  return z.pipe(
    z.pipe(
      z.string(),
      z.transform((text: string, ctx): unknown => {
        const value = parseJsonOrUndefined(text);
        if (value !== undefined) return value;
        ctx.issues.push({ code: 'custom', message: expected, input: text });
        return z.NEVER;
      }),
    ),
    shape,
  );
}

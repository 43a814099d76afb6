/**
 * JSON text from outside (a secret, a setting), parsed without letting the parser's message through:
 * it quotes the text, and the text may be a credential. Callers say what was expected instead.
 */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

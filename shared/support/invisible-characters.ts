/**
 * Characters a reader cannot see that still change what text says: bidirectional marks, embeddings,
 * overrides and isolates (Unicode `Bidi_Control`, the "Trojan Source" characters, LRM, RLM and ALM
 * included) and everything Unicode says a renderer should not show (`Default_Ignorable_Code_Point`:
 * zero-width spaces and joiners, soft hyphens, variation selectors, tag characters, fillers). Named by
 * Unicode property rather than listed by hand, so a character a later Unicode version adds to either
 * class is removed too. Every text a person reads from outside data (email, Slack, error messages)
 * loses them through this one cleaner.
 */

/** One or more invisible formatting characters in a row. */
export const INVISIBLE_CHARACTERS = /[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]+/gu;

const HAS_INVISIBLE = /[\p{Bidi_Control}\p{Default_Ignorable_Code_Point}]/u;

/** `text` without any bidirectional control or default-ignorable character. */
export function withoutInvisibleCharacters(text: string): string {
  return HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE_CHARACTERS, '') : text;
}

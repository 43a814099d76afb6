/**
 * The one way text from outside (a server's error body, an OAuth error, fetch's failure, a key of a
 * response) gets into an error message or a log line. Such text may be huge, may carry terminal escape
 * sequences that rewrite an operator's screen, and may echo a secret back in some encoding, whole or
 * cut short. So: a failure is named by an error code of a strict form only, never by its message; any
 * other quote loses its control and formatting characters, has every foreseeable encoding of the
 * secrets blanked out, and is cut to a length.
 */

import { withoutInvisibleCharacters } from './invisible-characters.js';

/** `invalid_client`, `ECONNRESET`, `UND_ERR_SOCKET`, `TimeoutError`: what an error code looks like. */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** `value` when it has the form of an error code; undefined for anything else (prose, URLs, escapes). */
export function errorCode(value: unknown): string | undefined {
  return typeof value === 'string' && ERROR_CODE.test(value) ? value : undefined;
}

/**
 * Why a request got no response, as a code: `ECONNRESET`, `UND_ERR_SOCKET`, `TimeoutError`. Node's
 * fetch hides the code in `cause`; the messages are left out, since they may quote the URL.
 */
export function networkErrorCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const candidates = [codeOf(cause), codeOf(error), nameOf(cause), nameOf(error)];
  return candidates.map(errorCode).find((code) => code !== undefined) ?? 'unknown error';
}

function codeOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { code?: unknown }).code : undefined;
}

function nameOf(value: unknown): unknown {
  return value instanceof Error ? value.name : undefined;
}

export type Redact = (text: string) => string;

export interface SecretToHide {
  readonly value: string;
  /** The client id the secret is sent with, so HTTP Basic credentials (`id:secret`, base64) are hidden too. */
  readonly basicAuthUser?: string;
}

export const REDACTED = '[redacted]';

/**
 * Pieces this long that occur in an encoding of a secret are blanked out wherever they stand, which
 * catches an echo cut short at either end as well as a whole one. Shorter pieces betray too little.
 */
const SECRET_PIECE_CHARS = 8;

/**
 * Blanks out the secrets in text: raw, URL- and form-encoded, JSON-escaped, base64 and base64url (at any
 * alignment, and as HTTP Basic credentials), and hex, compared without regard to ASCII case; and any
 * piece of those of 8 characters or more. Linear in the length of the text.
 */
export function createRedactor(secrets: readonly SecretToHide[]): Redact {
  const pieces = new Set<string>();
  const shortForms = new Set<string>();
  for (const form of secrets.flatMap(encodingsOf)) {
    const folded = foldAsciiCase(form);
    if (folded.length < SECRET_PIECE_CHARS) shortForms.add(folded);
    for (let start = 0; start + SECRET_PIECE_CHARS <= folded.length; start++) {
      pieces.add(folded.slice(start, start + SECRET_PIECE_CHARS));
    }
  }
  if (pieces.size === 0 && shortForms.size === 0) return (text) => text;
  return (text) => {
    const folded = foldAsciiCase(text);
    const hidden = new Uint8Array(text.length);
    const hide = (start: number, length: number) => hidden.fill(1, start, start + length);
    for (let start = 0; start + SECRET_PIECE_CHARS <= folded.length; start++) {
      if (pieces.has(folded.slice(start, start + SECRET_PIECE_CHARS))) hide(start, SECRET_PIECE_CHARS);
    }
    for (const form of shortForms) {
      for (let at = folded.indexOf(form); at !== -1; at = folded.indexOf(form, at + 1)) hide(at, form.length);
    }
    return replaceHidden(text, hidden);
  };
}

/** Every form in which a secret could come back that we can foresee. Empty secrets hide nothing. */
function encodingsOf({ value, basicAuthUser }: SecretToHide): string[] {
  if (value === '') return [];
  const bytes = Buffer.from(value, 'utf8');
  const forms = [
    value,
    encodeURIComponent(value),
    formEncoded(value),
    JSON.stringify(value).slice(1, -1),
    bytes.toString('hex'),
    ...base64Forms(bytes),
  ];
  if (basicAuthUser !== undefined) {
    for (const pair of [`${basicAuthUser}:${value}`, `${formEncoded(basicAuthUser)}:${formEncoded(value)}`]) {
      const encoded = Buffer.from(pair, 'utf8');
      forms.push(encoded.toString('base64'), encoded.toString('base64url'));
    }
  }
  return [...new Set(forms)].filter((form) => form !== '');
}

function formEncoded(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * Base64 and base64url of the secret, alone and as it would read inside a longer encoded text: at each
 * of the other two byte alignments, without the characters that depend on the bytes around it.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (const [offset, dependentChars] of [
    [0, 0],
    [1, 2],
    [2, 3],
  ] as const) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    const dependentTail = shifted.length % 3 === 0 ? 0 : 1;
    for (const encoding of ['base64', 'base64url'] as const) {
      const padded = shifted.toString(encoding);
      const text = padded.replace(/=+$/, '');
      forms.push(
        ...(offset === 0 ? [padded, text] : [text.slice(dependentChars, text.length - dependentTail)]),
      );
    }
  }
  return forms;
}

/** Lowercases A-Z only, so every character keeps its index (full Unicode lowercasing may not). */
function foldAsciiCase(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

function replaceHidden(text: string, hidden: Uint8Array): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const end = hidden.indexOf(hidden[index] === 1 ? 0 : 1, index);
    const stop = end === -1 ? text.length : end;
    out += hidden[index] === 1 ? REDACTED : text.slice(index, stop);
    index = stop;
  }
  return out;
}

export interface QuoteOptions {
  /** Longest quote, in UTF-16 code units, an ellipsis included. */
  readonly maxLength: number;
  /** Blanks out the secrets the caller knows of. */
  readonly redact?: Redact;
}

/** Terminal escape sequences: CSI (colours, cursor moves), OSC (titles, links), and two-character ones. */
const ESCAPE_SEQUENCES =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point.
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]?/g;
/** Line breaks and tabs read as spaces. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Other control characters: removed, as invisible formatting is (invisible-characters.ts). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Untrusted text made fit to quote: escape sequences and control characters gone, whitespace runs made
 * one space, secrets blanked out, and at most `maxLength` long (cut with `…`). Only a bounded start of
 * the text is looked at, so a megabyte of it costs no more than a kilobyte.
 */
export function quoteUntrusted(text: string, options: QuoteOptions): string {
  const start = cut(text, options.maxLength * 4 + 1024);
  const clean = withoutInvisibleCharacters(
    start.replace(ESCAPE_SEQUENCES, '').replace(LINE_BREAKS, ' ').replace(CONTROLS, ''),
  )
    .replace(LONE_SURROGATES, '')
    .replace(/\s+/g, ' ')
    .trim();
  const redacted = options.redact === undefined ? clean : options.redact(clean);
  const shortened = redacted.length > options.maxLength || start.length < text.length;
  return shortened ? `${cut(redacted, options.maxLength - 1)}…` : redacted;
}

/** The first `length` code units, one fewer if that would split a surrogate pair. */
function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

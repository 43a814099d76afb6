/**
 * Knows the secrets of a run and finds them in text: the client secret from the secret, and every token
 * and Authorization header value that crossed the wire, learnt by wrapping the fetch the handler uses.
 */
import { inspect } from 'node:util';

export interface SecretWatch {
  /** The fetch to give the handler: records tokens issued and Authorization values sent. */
  readonly fetch: typeof fetch;
  /** Adds a value that must never show, e.g. the client secret. */
  watch(label: string, value: string): void;
  /** How many distinct tokens and Authorization values were seen. */
  readonly seen: { readonly tokens: number; readonly authorizationValues: number };
  /** Labels of the secrets found in the text, in any of the encodings a leak could take. */
  leaksIn(text: string): string[];
}

export function createSecretWatch(baseFetch: typeof fetch = globalThis.fetch): SecretWatch {
  const secrets = new Map<string, string>();
  let tokens = 0;
  const authorizationValues = new Set<string>();

  const watch = (label: string, value: string) => {
    if (value.length < 6 || secrets.has(value)) return;
    secrets.set(value, label);
  };

  const recordingFetch: typeof fetch = async (input, init) => {
    const authorization = new Headers(init?.headers).get('authorization');
    if (authorization !== null) {
      authorizationValues.add(authorization);
      watch('Authorization header', authorization);
    }
    const response = await baseFetch(input, init);
    if (String(input).endsWith('/oauth/token') && response.ok) {
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as { access_token?: unknown } | undefined;
      if (typeof body?.access_token === 'string') {
        tokens += 1;
        watch('issued access token', body.access_token);
      }
    }
    return response;
  };

  return {
    fetch: recordingFetch,
    watch,
    get seen() {
      return { tokens, authorizationValues: authorizationValues.size };
    },
    leaksIn(text) {
      const found = new Set<string>();
      for (const [value, label] of secrets) {
        if (fragmentsOf(value).some((fragment) => text.includes(fragment))) found.add(label);
      }
      return [...found];
    },
  };
}

/** A leak may be cut short (an error quoting 200 characters of a body), so pieces count, not just the whole. */
const FRAGMENT_CHARS = 20;

/**
 * The pieces of a secret whose presence betrays it, in each encoding it could travel in (raw, form or
 * URL-encoded, JSON-escaped, hex, and base64 wherever it starts in a longer encoded text, as in Basic
 * credentials). A JWT's first segment is left out: it is the same for every token.
 */
function fragmentsOf(value: string): string[] {
  const secretPart = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(value) ? value.slice(value.indexOf('.')) : value;
  const hex = Buffer.from(secretPart).toString('hex');
  // Three alignments of base64; the four characters at either end also encode what surrounds the secret.
  const base64 = ['', 'x', 'xy'].map((lead) =>
    Buffer.from(`${lead}${secretPart}`).toString('base64').slice(4, -4),
  );
  const forms = new Set([
    secretPart,
    encodeURIComponent(secretPart),
    new URLSearchParams({ v: secretPart }).toString().slice(2),
    JSON.stringify(secretPart).slice(1, -1),
    hex,
    hex.toUpperCase(),
    ...base64,
  ]);
  const fragments: string[] = [];
  for (const form of forms) {
    if (form.length <= FRAGMENT_CHARS) fragments.push(form);
    for (let start = 0; start + FRAGMENT_CHARS <= form.length; start += 4)
      fragments.push(form.slice(start, start + FRAGMENT_CHARS));
  }
  return fragments;
}

/** Everything an error could show when logged or printed: message, stack, own fields and every cause. */
export function everythingIn(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    parts.push(inspect(current, { depth: 8, showHidden: true }));
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '');
      current = current.cause;
    } else {
      current = undefined;
    }
  }
  return parts.join('\n');
}

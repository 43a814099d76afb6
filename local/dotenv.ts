/**
 * A small `.env` reader, so credentials can live in a git-ignored file instead of the shell history:
 * `KEY=value` lines, `#` comments, an optional `export ` prefix, single quotes taken literally and
 * double quotes with `\n` escapes. Values already in the environment win over the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './usage-error.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

export function parseDotenv(text: string, fileName = '.env'): Record<string, string> {
  const values: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*(#|$)/.test(line)) return;
    const match = LINE.exec(line);
    if (match === null) {
      // The line is not repeated: it may hold a secret.
      throw new UsageError(`${fileName} line ${index + 1}: expected KEY=value`);
    }
    const [, key = '', raw = ''] = match;
    values[key] = unquote(raw);
  });
  return values;
}

function unquote(raw: string): string {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.length >= 2 && raw.endsWith(quote)) {
    const inner = raw.slice(1, -1);
    return quote === "'" ? inner : inner.replace(/\\([nrt"\\])/g, (_, c: string) => ESCAPES[c] ?? c);
  }
  return raw.replace(/\s+#.*$/, '');
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** The environment merged over `<cwd>/.env` when that file exists. */
export function environmentWithDotenv(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const path = join(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e: unknown) {
    if ((e as { code?: unknown }).code === 'ENOENT') return { ...env };
    throw new UsageError(`Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fromFile = parseDotenv(text, path);
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}

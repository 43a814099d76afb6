/**
 * Credentials can live in a git-ignored `./.env` file instead of the shell history. Node reads the file
 * format itself (`util.parseEnv`: `KEY=value`, `#` comments, `export `, quotes, `\n` in double quotes);
 * what is ours is the rule that a variable already in the environment wins over the file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { UsageError } from './usage-error.js';

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
  const merged: Record<string, string | undefined> = { ...parseEnv(text) };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}

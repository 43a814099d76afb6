/**
 * How tests start `npm start`'s entry point in a child process: node with tsx as a loader, not the tsx
 * launcher. The launcher relays a signal to its child only after waiting 30 ms for the child to report
 * it, and sends it again when the report is late (a loaded machine): the child then sees a second
 * Ctrl-C and exits at once (130). With the loader, the child gets exactly the signals a test sends.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = resolve(import.meta.dirname, '../..');

/** The arguments of `node` that run local/main.ts with `args`, from any folder. */
export function localMainArgs(args: readonly string[], nodeFlags: readonly string[] = []): string[] {
  const loader = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  return [...nodeFlags, '--import', loader, join(REPO, 'local/main.ts'), ...args];
}

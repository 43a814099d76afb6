/** The project's documentation pages as users read them: the README and every page of docs/. */
import { readdirSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

export function documentedPages(): (readonly [name: string, text: string])[] {
  return [
    ['README.md', readFileSync(new URL('README.md', root), 'utf8')],
    ...readdirSync(new URL('docs/', root))
      .filter((name) => name.endsWith('.md'))
      .map((name) => [`docs/${name}`, readFileSync(new URL(`docs/${name}`, root), 'utf8')] as const),
  ];
}

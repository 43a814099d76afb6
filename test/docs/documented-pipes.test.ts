/**
 * npm prints its own banner on stdout, so a documented `npm start … | jq` only works as written with
 * `npm start --silent`; every pipe in the docs and in --help is held to that (local-cli.test.ts runs one).
 */
import { describe, expect, it } from 'vitest';
import { helpText } from '../../local/help-text.js';
import { documentedPages } from './documented-pages.js';

const pages = [...documentedPages(), ['--help', helpText()] as const];

describe('documented pipes', () => {
  it('pipe the events of npm start --silent, so npm’s banner never reaches the next command', () => {
    const pipes = pages.flatMap(([name, text]) =>
      text
        .split('\n')
        .filter((line) => /npm start\b.*\|\s*\S/.test(line.replace(/#.*$/, '')))
        .map((line) => ({ name, line: line.trim() })),
    );

    expect(pipes.length).toBeGreaterThanOrEqual(2);
    for (const { name, line } of pipes) expect(line, name).toMatch(/npm start --silent\b/);
  });
});

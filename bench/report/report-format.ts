/** The two shapes of the report: plain text for the terminal, Markdown for the docs. */
import { type Align, markdownTable, textTable } from './text-table.js';

export interface ReportFormat {
  table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string;
  heading(title: string): string;
}

export function reportFormat(kind: 'text' | 'markdown'): ReportFormat {
  return kind === 'text'
    ? { table: textTable, heading: (title) => `\n${title}\n` }
    : { table: markdownTable, heading: (title) => `\n#### ${title}\n` };
}

/** `--help`: what the command does, every flag from the flag table, and the exit codes. */
import { FLAGS, type FlagSpec } from './cli-flags.js';

const GROUP_ORDER: readonly FlagSpec['group'][] = [
  'Source',
  'State and schedule',
  'Output',
  'Sandbox',
  'Help',
];
const WIDTH = 100;

export function helpText(): string {
  const sections = GROUP_ORDER.map((group) => {
    const entries = Object.entries(FLAGS).filter(([, spec]) => spec.group === group);
    return `${group}:\n${entries.map(([name, spec]) => describeFlag(name, spec)).join('\n')}`;
  });
  return `Usage: npm start -- [flags]        (or: npx tsx local/main.ts [flags])

Watches Midaxo projects and prints a change event whenever one is created, updated or deleted, using
the same change detection as the AWS Lambda, with state in a local SQLite file.

With no flags it starts a local Midaxo sandbox with sample deals, edits a few of them every few
seconds (adding and removing one now and then), and polls it: a demo that needs no account and no
network. The sandbox is kept in the state file, so the next start goes on where this one stopped.
With --instance eu|us and --process <id> it polls the real Midaxo Cloud API.

${sections.join('\n\n')}

Environment (./.env is read too; the environment wins):
  MIDAXO_CLIENT_ID, MIDAXO_CLIENT_SECRET   Midaxo API client credentials, for --instance / --api-url
  WEBHOOK_SECRET                           the signing secret, when --webhook-secret is not given

Output: events go to stdout; progress, cycle summaries and errors go to stderr.
Exit codes: 0 success (or stopped with Ctrl-C), 1 a poll cycle or the startup failed,
            2 invalid flags or environment.

Examples (npm's --silent keeps its own banner off stdout, so pipes get events only):
  npm start
  npm start --silent -- --json --interval 2 | jq .data.changes
  npm start -- --instance eu --process 6f1c... --once --webhook https://hooks.example.com/midaxo
      (with MIDAXO_CLIENT_ID, MIDAXO_CLIENT_SECRET and WEBHOOK_SECRET in ./.env)
`;
}

function describeFlag(name: string, spec: FlagSpec): string {
  const short = 'short' in spec && spec.short ? `-${spec.short}, ` : '';
  const label = `  ${short}--${name}${spec.value ? ` ${spec.value}` : ''}`;
  const indent = ' '.repeat(4);
  return `${label}\n${wrap(spec.help, WIDTH - indent.length)
    .map((line) => indent + line)
    .join('\n')}`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The checked-in JSON Schema of the change event, and ajv's strict reading of it. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

export const SCHEMA_FILE = new URL('../../docs/schema/change-event.v2.json', import.meta.url);
// ajv-formats is CommonJS: its plugin is the module itself at run time, `default` to the type checker.
const addFormats = ((ajvFormats as unknown as { default?: typeof ajvFormats }).default ??
  ajvFormats) as unknown as typeof ajvFormats.default;

/** The checked-in schema compiled by ajv in strict mode, which refuses any keyword it cannot apply. */
export function strictValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(checkedInSchema());
}

export function checkedInSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
}

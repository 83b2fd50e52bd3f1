/**
 * Writes the JSON Schema of the minute entry export (docs/minute-export.schema.json) from its zod schema.
 * Run after changing src/export/minuteExportSchema.ts: `npm run schema:write`; a unit test fails while the
 * committed file differs from what the schema generates.
 */
import { writeFile } from 'node:fs/promises';
import { minuteExportJsonSchema } from '../src/export/minuteExportSchema';

export const SCHEMA_FILE = 'docs/minute-export.schema.json';

await writeFile(SCHEMA_FILE, `${JSON.stringify(minuteExportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${SCHEMA_FILE}`);

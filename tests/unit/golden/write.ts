/**
 * Writes every golden minute entry anew (npm run golden:write). Read each changed file as the chair who must
 * sign it before committing; the golden test never writes them.
 */
import { writeFileSync } from 'node:fs';
import { goldenText } from './render';
import { scenarios } from './scenarios';

for (const [name, events] of Object.entries(scenarios)) {
  const { text } = await goldenText(events);
  writeFileSync(new URL(`./${name}.golden.txt`, import.meta.url), text);
  console.log(`wrote ${name}.golden.txt`);
}

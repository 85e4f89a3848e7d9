/**
 * Prints the subgraph SDL to schema.graphql (`npm run schema`), or with `--check` fails when
 * the committed file is not what the code builds (`npm run schema:check`, run by CI).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSchemaSdl } from '../src/schema/index.js';

const file = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const sdl = printSchemaSdl();

if (process.argv.includes('--check')) {
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== sdl) {
    console.error('schema.graphql is stale: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is current.');
} else {
  await writeFile(file, sdl);
  console.log(`wrote ${file}`);
}

/**
 * Regenerates test/golden/ (`npm run golden:update`). Run it only when a result is meant to change,
 * and say in the commit why it changed.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { goldenCases, goldenDir, goldenText } from './golden.js';

for (const golden of goldenCases()) {
  const text = goldenText(await golden.make());
  const path = `${goldenDir}${golden.file}`;
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  writeFileSync(path, text);
  console.log(`${before === text ? 'unchanged' : before === undefined ? 'created  ' : 'CHANGED  '} ${golden.file}`);
}

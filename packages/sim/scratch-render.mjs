import { readFileSync, writeFileSync } from 'node:fs';
import { renderReport, loadScenarioFile } from './dist/index.js';
const [,, json, scen, out, lang] = process.argv;
const r = JSON.parse(readFileSync(json, 'utf8'));
const s = loadScenarioFile(scen).scenario;
const c = r.results ? r : undefined;
const html = renderReport(c ? c.results[0] : r, { scenario: s, ...(lang ? { lang } : {}), ...(c ? { comparison: c } : {}) });
writeFileSync(out, html);

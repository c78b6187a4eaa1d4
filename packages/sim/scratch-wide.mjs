import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
const html = readFileSync(process.argv[2], 'utf8');
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 703, height: 900 } });
await p.setContent(html, { waitUntil: 'load' });
await p.emulateMedia({ media: 'print' });
console.log(await p.evaluate(() => ({ sw: document.documentElement.scrollWidth, wide: [...document.querySelectorAll('table, figure, svg, div')].filter(e => e.getBoundingClientRect().right > 704).map(e => e.tagName + '#' + (e.id || e.closest('section')?.id) + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 20) })));
await b.close();

import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
const html = readFileSync(process.argv[2], 'utf8');
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const p = await b.newPage();
await p.setContent(html, { waitUntil: 'load' });
await p.evaluate(() => document.fonts.ready);
const pdf = await p.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
await b.close();
writeFileSync('/tmp/rep/out.pdf', pdf);
const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
console.log('pages', doc.numPages);
for (let i = 1; i <= Math.min(doc.numPages, 3); i++) {
  const page = await doc.getPage(i);
  const tc = await page.getTextContent();
  console.log(i, page.view, tc.items.slice(0, 60).map(x => x.str).join('|'));
}

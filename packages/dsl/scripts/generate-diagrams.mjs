// Writes docs/campaigns.md: a Mermaid state diagram of every bundled campaign, so the docs show
// what `luoshi diagram` draws. Run after `npm run build`; a test checks the file is current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCampaignsPage } from './diagrams-page.mjs';

const out = fileURLToPath(new URL('../../../docs/campaigns.md', import.meta.url));
writeFileSync(out, await renderCampaignsPage());
console.log(`wrote ${out}`);

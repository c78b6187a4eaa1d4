import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProcessPaths } from '@luoshi/dsl';
import type { OrganisationUnit } from '@luoshi/engine';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compareScenarios, loadScenarioFile, monteCarlo, renderReport, resultRows, RESULT_COLUMNS, toCsv, unitTable, type MonteCarloResult, type ScenarioComparison, type ScenarioFile } from '@luoshi/sim';

/*
 * The HTML report of a campaign written by someone hostile: every title of seed 002 (campaign,
 * phases, tasks, rankings, flags, roles) carries a payload — `</script>` to close the page's one
 * script, `"><img onerror>` to leave an attribute, `<svg onload>`, a `javascript:` URL, U+2028 and
 * `<!--`, a right-to-left override, CJK — and so do the scenario's id and title and the units'
 * ids (as far as the engine lets an id go: no spaces, "/", "@" or "#"). Loaded in headless
 * Chromium with scripts on, nothing of it runs: no dialog, no request, no element or attribute it
 * would have made, one script element (the page's own); each payload reads as the text it is.
 */

const root = new URL('../../../', import.meta.url).pathname;
const PROCESS = '机关作风建设年';
const CHROMIUM = process.env['LUOSHI_CHROMIUM'] ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** What each payload would do if it ran: set `window.__pwned`, or open a dialog. */
const PAYLOADS = [
  '</script><script>window.__pwned="script"</script>',
  '"><img src=x onerror="window.__pwned=\'img\'">',
  "'><svg onload=window.__pwned='svg'>",
  'javascript:window.__pwned="url"',
  '\u2028\u2029<!--<script>alert("comment")</script>',
  '\u202e反向文字',
  '<style>body{display:none}</style>',
  '&lt;entity&gt;',
];

/** Unit ids an organisation file may give: the engine refuses spaces, "/", "@", "#" and invisible characters, not markup or formulas. */
const UNIT_IDS = ['"><b>u1', "'-alert(1)-'", '=1+1', '+cmd|x!A0', '-2+3', '<svg>', 'u7&amp;', '情景<i>'];

function definitions() {
  const dir = mkdtempSync(join(tmpdir(), 'luoshi-hostile-report-'));
  cpSync(`${root}processes`, dir, { recursive: true });
  const path = join(dir, '002-jiguan-zuofeng.yaml');
  let i = 0;
  // Every `title:` value (block or flow style) gets a payload before it, written as a JSON string (valid YAML).
  const text = readFileSync(path, 'utf8')
    .replace(/^(\s*(?:- \{ id: [^,]+, )?title: )([^\n,}]+)/gm, (_m, head: string, title: string) => `${head}${JSON.stringify(`${PAYLOADS[i++ % PAYLOADS.length]}${title}`)}`)
    .replace('subjects: [unit, member]\n', 'subjects: [unit, member]\nlights: { yellowBefore: 3个工作日, blue: true }\n');
  writeFileSync(path, text);
  const defs = validateProcessPaths([dir]);
  const errors = defs.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.line}:${d.column} ${d.code}`).join('; '));
  return defs;
}

/** A kind of unit named by the same hand: it heads the assumptions' rows of its behaviour. */
const KIND = '</td></tr><script>window.__pwned="kind"</script>';

function organisation(): OrganisationUnit {
  return { id: 'office', kind: 'office', units: UNIT_IDS.map((id, i) => ({ id, ...(i % 2 === 0 ? { kind: KIND } : {}), members: [{ id: `${id}-m1` }, { id: `${id}-m2` }] })) };
}

function scenario(id: string, title: string, name: 'lax' | 'diligent'): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-${name}.yaml`);
  if (!loaded.scenario) throw new Error(JSON.stringify(loaded.diagnostics));
  const { organisation: _generated, ...rest } = loaded.scenario;
  const kinds = { ...rest.behaviour.kinds, [KIND]: { tasks: { delay: { kind: 'fixed' as const, mean: 3 }, neverProbability: 0.5 } } };
  return { ...rest, id, title, organisationFile: 'hostile-org.json', behaviour: { ...rest.behaviour, kinds } };
}

describe('given the report of a campaign, a scenario and units named by someone hostile, loaded in headless Chromium with scripts on', () => {
  let result: MonteCarloResult;
  let comparison: ScenarioComparison;
  let html: string;
  let compared: string;
  let browser: Browser;
  const pages: Page[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  let setupError: unknown;

  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });

  beforeAll(async () => {
    try {
      if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run \`bash test/support/ensure-chromium.sh\` as root (or set LUOSHI_CHROMIUM)`);
      const defs = definitions();
      const org = organisation();
      const lax = scenario(PAYLOADS[0] as string, PAYLOADS[1] as string, 'lax');
      const diligent = scenario('"><img src=x onerror=alert(2)>', PAYLOADS[2] as string, 'diligent');
      result = await monteCarlo({ definitions: defs, processId: PROCESS, scenario: lax, organisation: org, runs: 2, seed: 5, threads: 1 });
      comparison = await compareScenarios({ definitions: defs, processId: PROCESS, scenarios: [{ scenario: lax, organisation: org }, { scenario: diligent, organisation: org }], runs: 2, seed: 5, threads: 1 });
      html = renderReport(result, { scenario: lax });
      compared = renderReport(comparison.results[0] as MonteCarloResult, { scenario: lax, comparison });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
      for (const content of [html, compared]) {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        await page.route('**/*', async (route) => {
          requests.push(route.request().url());
          await route.abort();
        });
        page.on('dialog', async (dialog) => {
          dialogs.push(dialog.message());
          await dialog.dismiss();
        });
        await page.setContent(content, { waitUntil: 'load' });
        pages.push(page);
      }
    } catch (error) {
      setupError = error;
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('when loaded, then no payload ran: no dialog, no request, window.__pwned unset, one script element, no element or event attribute a payload would have made', async () => {
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    for (const page of pages) {
      const seen = await page.evaluate(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
          scripts: document.scripts.length,
          made: all.filter((e) => ['IMG', 'IFRAME', 'OBJECT', 'EMBED', 'B', 'I', 'STYLE'].includes(e.tagName.toUpperCase()) && e.parentElement !== document.head).map((e) => e.tagName),
          handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}[${a.name}]`)),
          urls: all.flatMap((e) => [...e.attributes].filter((a) => /href|src|action/i.test(a.name)).map((a) => `${e.tagName}[${a.name}=${a.value}]`)),
          hidden: getComputedStyle(document.body).display,
          svgs: [...document.querySelectorAll('svg')].filter((s) => s.parentElement?.tagName === 'FIGURE' || s.closest('figure')).length,
        };
      });
      expect(seen).toMatchObject({ pwned: null, scripts: 1, made: [], handlers: [], urls: [] });
      expect(seen.hidden).not.toBe('none');
      expect(seen.svgs).toBeGreaterThan(5);
    }
  });

  it('when read, then every payload shows as its own text: in the title, headings, tables, chart labels and tooltips (SVG <title>), the comparison, the units table', async () => {
    const [page, comparedPage] = pages as [Page, Page];
    const text = await page.evaluate(() => document.body.textContent ?? '');
    // A chart label may be cut with … to fit its column; the whole text is in the chart's tooltip (<title>) or table.
    for (const payload of PAYLOADS) expect(text, payload).toContain(payload.replace(/\u2028|\u2029/g, ''));
    for (const id of UNIT_IDS) expect(text, id).toContain(id);
    expect(await page.evaluate(() => document.getElementById('assumptions')?.textContent ?? '')).toContain(KIND);
    expect(await page.title()).toContain(PAYLOADS[0]);
    const comparedText = await comparedPage.evaluate(() => document.getElementById('comparison')?.textContent ?? '');
    expect(comparedText).toContain('"><img src=x onerror=alert(2)>');
  });

  it('when the units table is searched for a payload and sorted, then the script filters by it as text and nothing runs', async () => {
    const [page] = pages as [Page];
    const search = page.locator('input.filter[data-table="units-table"]');
    await search.fill('"><b>u1');
    const shown = await page.locator('#units-table tbody tr:not([hidden])').count();
    expect(shown).toBe(1);
    await page.locator('#units-table thead th').first().click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null)).toBeNull();
    expect(dialogs).toEqual([]);
  });

  it('when the page source is read, then </script and <!-- appear only escaped outside the one script, and the script holds no text from the result', () => {
    for (const page of [html, compared]) {
      expect(page.match(/<\/script/gi)).toHaveLength(1);
      expect(page.match(/<script/gi)).toHaveLength(1);
      expect(page).not.toContain('<!--');
      const script = page.slice(page.indexOf('<script>'), page.indexOf('</script>'));
      for (const payload of [...PAYLOADS, ...UNIT_IDS, KIND]) expect(script).not.toContain(payload);
    }
  });

  it('when the results are exported as CSV, then every cell a spreadsheet would run (= + - @ first, a tab or CR first) starts with an apostrophe', () => {
    const csv = toCsv(RESULT_COLUMNS, comparison.results.flatMap(resultRows));
    const units = unitTable(result, 'en', 'office');
    const unitsCsv = toCsv(units.columns, units.rows);
    for (const file of [csv, unitsCsv]) {
      const cells = parseCsv(file.replace(/^\uFEFF/, ''));
      const risky = cells.filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(cell));
      expect(risky).toEqual([]);
    }
    expect(unitsCsv).toContain("'=1+1");
    expect(unitsCsv).toContain("'+cmd|x!A0");
    expect(unitsCsv).toContain("'-2+3");
  });
});

/** The cells of RFC 4180 text (quotes doubled inside quoted cells), for the check above. */
function parseCsv(text: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (text[quote + 1] === '"') {
          cell += text.slice(i, quote + 1);
          i = quote + 2;
        } else {
          cell += text.slice(i, quote);
          i = quote + 1;
          break;
        }
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      cell = end < 0 ? text.slice(i) : text.slice(i, i + end);
      i = end < 0 ? text.length : i + end;
    }
    cells.push(cell);
    if (text.startsWith('\r\n', i)) i += 2;
    else if (text[i] === ',') i++;
  }
  return cells;
}

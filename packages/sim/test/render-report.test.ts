import { validateProcessPaths } from '@luoshi/dsl';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, loadScenarioFile, monteCarlo, renderReport, type MonteCarloResult, type ScenarioFile } from '@luoshi/sim';

const root = new URL('../../../', import.meta.url).pathname;
const definitions = validateProcessPaths([`${root}processes/`]);
const PROCESS = '机关作风建设年';

function scenario(): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/002-lax.yaml`);
  if (!loaded.scenario?.organisation) throw new Error(JSON.stringify(loaded.diagnostics));
  return { ...loaded.scenario, organisation: { ...loaded.scenario.organisation, units: 8, membersPerUnit: 2 } };
}

/** The `<svg>…</svg>` elements of a page. */
const charts = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
const count = (text: string, tag: string) => (text.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length;

describe('given a Monte Carlo result of seed 002 on a small organisation', () => {
  let result: MonteCarloResult;
  let s: ScenarioFile;
  let html: string;
  beforeAll(async () => {
    s = scenario();
    result = await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: 3, seed: 5, threads: 1 });
    html = renderReport(result, { scenario: s });
  });

  it('when rendered, then it is one self-contained page without any URL or script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i);
  });

  it('when rendered, then each chart is one svg with drawing elements: timeline, units per phase, ladder climbs, one per ranking', () => {
    const svgs = charts(html);
    expect(svgs).toHaveLength(3 + Object.keys(result.rankings).length);
    expect(count(html, 'svg')).toBe(svgs.length);
    for (const chart of svgs) expect(count(chart, 'rect') + count(chart, 'path') + count(chart, 'line')).toBeGreaterThan(0);
    const [gantt, phases, ladders] = svgs as [string, string, string];
    expect(count(gantt, 'rect')).toBe(result.timeline.phases.length);
    expect(count(gantt, 'path')).toBe(result.timeline.deadlines.length);
    expect(count(phases, 'rect')).toBeGreaterThanOrEqual(result.monthly.length);
    expect(count(ladders, 'rect')).toBeGreaterThan(0);
  });

  it('when rendered, then every phase title, deadline title and ranking id is on the page, and the header says what was run', () => {
    for (const p of result.timeline.phases) expect(html).toContain(escapeHtml(p.title));
    for (const d of result.timeline.deadlines) expect(html).toContain(escapeHtml(d.title));
    for (const id of Object.keys(result.rankings)) expect(html).toContain(escapeHtml(id));
    expect(html).toContain('002-lax');
    expect(html).toContain('2010-04-01 – 2010-12-31');
    expect(html).toContain(String(result.seed));
    expect(html).toContain('behaviour.default.tasks.neverProbability');
    expect(renderReport(result, { scenario: s })).toBe(html);
    expect(renderReport(result, { scenario: s, lang: 'en' })).toContain('Year-end rank distribution');
  });

  it('when the scenario and the result carry hostile text, then it comes out escaped', () => {
    const evil = '<script>alert("x&y")</script>';
    const hostile = renderReport(
      { ...result, scenario: evil, rankings: { [`${evil}r`]: Object.values(result.rankings)[0] as MonteCarloResult['rankings'][string] } },
      { scenario: { ...s, id: evil, title: `'${evil}'` } },
    );
    expect(hostile).not.toContain('<script');
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;');
    expect(hostile).toContain('&#39;&lt;script&gt;');
  });

  it('when a ranking has more subjects than maxStrips, then only the best and worst are drawn', () => {
    const id = Object.entries(result.rankings).find(([, r]) => Object.keys(r.ranks).length > 4)?.[0];
    expect(id).toBeDefined();
    const small = renderReport(result, { maxStrips: 4 });
    const strip = charts(small).find((c) => c.includes(`<title>${escapeHtml(id as string)}</title>`)) as string;
    expect(count(strip, 'rect')).toBe(4 * 10);
  });
});

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

describe('given deadline titles longer than the Gantt label column (seed 000 has one of 32 characters)', () => {
  const LONG_CJK = '形成单位对照检查材料，征求上级部门、下级单位、职工群众和服务对象意见';
  const LONG_LATIN = 'Weekly WWW MMM review of the Working Methods Manual with all members and their managers';
  let result: MonteCarloResult;
  beforeAll(async () => {
    result = await monteCarlo({ definitions, processId: PROCESS, scenario: scenario(), runs: 1, seed: 5, threads: 1 });
  });

  /** The result with the first deadlines (and, given, the phases) retitled, in order. */
  const retitled = (titles: readonly string[], phaseTitles: readonly string[] = []): MonteCarloResult => ({
    ...result,
    timeline: {
      ...result.timeline,
      phases: result.timeline.phases.map((p, i) => ({ ...p, title: phaseTitles[i] ?? p.title })),
      deadlines: result.timeline.deadlines.map((d, i) => ({ ...d, title: titles[i] ?? d.title })),
    },
  });
  /** The Gantt's label texts (right-aligned `<text>`), with their x, and the tooltip of a cut one. */
  const labels = (html: string) =>
    [...(charts(html)[0] ?? '').matchAll(/(?:<g><title>([^<]*)<\/title>)?<text x="([\d.]+)"[^>]*text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => ({
      tooltip: m[1],
      x: Number(m[2]),
      text: m[3] ?? '',
    }));

  it('when rendered, then the label column grows but stops at 360 px, and the long labels are cut with … before their due day, whole in a tooltip', () => {
    const drawn = labels(renderReport(retitled([LONG_CJK, LONG_LATIN])));
    expect(drawn).toHaveLength(result.timeline.phases.length + result.timeline.deadlines.length);
    const x = (drawn[0] as { x: number }).x;
    for (const label of drawn) expect(label.x).toBe(x);
    expect(x + 6).toBe(360);
    const [cjk, latin] = drawn.slice(result.timeline.phases.length);
    for (const [label, title] of [
      [cjk, LONG_CJK],
      [latin, LONG_LATIN],
    ] as const) {
      const cut = label?.text.match(/^(.+)… (\d{4}-\d\d-\d\d)$/);
      expect(cut, label?.text).toBeTruthy();
      const [, kept = '', due = ''] = cut ?? [];
      expect(title.startsWith(kept)).toBe(true);
      expect(kept.length).toBeLessThan(title.length);
      expect(label?.tooltip).toBe(escapeHtml(`${title} ${due}`));
    }
    // An em per CJK character at 10 px: of the 350 px, the date takes about 70 and the ellipsis 10.
    const kept = [...(cjk?.text ?? '')].indexOf('…');
    expect(kept * 10).toBeLessThanOrEqual(350 - 70 - 10);
    expect(kept).toBeGreaterThanOrEqual(20);
  });

  it('when every title is short, then the column keeps its minimum of 220 px and no label is cut or wrapped', () => {
    const short = labels(renderReport(retitled(result.timeline.deadlines.map(() => '短'), result.timeline.phases.map(() => '短'))));
    expect(short).toHaveLength(result.timeline.phases.length + result.timeline.deadlines.length);
    for (const label of short) {
      expect(label.x).toBe(214);
      expect(label.tooltip).toBeUndefined();
      expect(label.text).toMatch(/^短 [(\d]/);
    }
  });

  it('when the titles of seed 002 themselves are rendered, then the column is as wide as its longest label needs, within 220–360 px', () => {
    const own = labels(renderReport(result));
    const x = (own[0] as { x: number }).x;
    expect(x + 6).toBeGreaterThan(220);
    expect(x + 6).toBeLessThanOrEqual(360);
    expect(own.every((l) => l.x === x)).toBe(true);
  });
});

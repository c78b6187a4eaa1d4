import { validateProcessPaths } from '@luoshi/dsl';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, loadScenarioFile, monteCarlo, renderReport, type MonteCarloResult, type ScenarioFile, type Spread } from '@luoshi/sim';

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
/** The chart figures of a page by id (`<figure class="chart" data-chart="id">`). */
const figures = (html: string) => new Map([...html.matchAll(/<figure class="chart" id="chart-[^"]+" data-chart="([^"]+)">([\s\S]*?)<\/figure>/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
/** The texts drawn in a chart. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
/** The text of a section's table cells, by section id. */
const section = (html: string, id: string) => html.match(new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`))?.[1] ?? '';
/** How the report writes a spread over several runs: `mean [p5, p95]`. */
const spread = (s: Spread, as: (x: number) => string = String) => `${as(s.mean)} [${as(s.p5)}, ${as(s.p95)}]`;

describe('given a Monte Carlo result of seed 002 on a small organisation', () => {
  let result: MonteCarloResult;
  let s: ScenarioFile;
  let html: string;
  beforeAll(async () => {
    s = scenario();
    result = await monteCarlo({ definitions, processId: PROCESS, scenario: s, runs: 3, seed: 5, threads: 1 });
    html = renderReport(result, { scenario: s });
  });

  it('when rendered, then it is one self-contained page: no URL, no namespace, no external resource, one inline script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/https?:|xmlns/i);
    expect(html).not.toMatch(/<link|<img|src=|href=|@import|url\(/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script>(function(){');
  });

  it('when rendered, then every chart is an ECharts SVG in a figure with a caption, and the same result gives the same bytes', () => {
    const shown = figures(html);
    for (const id of ['gantt', 'phases', 'on-time', 'overdue', 'ladder-climbs', 'ladder-rungs', 'flags', 'effects']) expect(shown.has(id), id).toBe(true);
    // A ranking draws its bands and its tenths, in charts of at most 36 subjects.
    for (const [i, [, r]] of Object.entries(result.rankings).entries()) {
      const subjects = Math.min(80, Object.keys(r.ranks).length);
      expect([...shown.keys()].filter((k) => k.startsWith(`bands-${i + 1}-`))).toHaveLength(Math.ceil(subjects / 36));
      expect([...shown.keys()].filter((k) => k.startsWith(`deciles-${i + 1}-`))).toHaveLength(Math.ceil(subjects / 36));
    }
    expect(charts(html)).toHaveLength(shown.size);
    for (const [id, figure] of shown) {
      expect(figure, id).toMatch(/^<figcaption>[^<]+<\/figcaption><svg /);
      expect(figure.match(/<path|<rect/g)?.length ?? 0, id).toBeGreaterThan(0);
    }
    expect(renderReport(result, { scenario: s })).toBe(html);
  });

  it('when rendered, then every figure of the text summary is in a table: deadlines, overdue by phase, rungs, flags, effects, commended and questioned, rankings', () => {
    const deadlines = section(html, 'deadlines');
    for (const [item, d] of Object.entries(result.deadlines)) {
      expect(deadlines).toContain(escapeHtml(d.title === item ? item : `${d.title} (${item})`));
      expect(deadlines).toContain(`>${spread(d.onTimeRate, (x) => `${(x * 100).toFixed(1)}%`)}<`);
      expect(deadlines).toContain(`>${spread(d.overdue)}<`);
    }
    const overdue = section(html, 'overdue');
    for (const [phase, n] of Object.entries(result.overdueByPhase)) {
      expect(overdue).toContain(escapeHtml(result.timeline.phases.find((p) => p.id === phase)?.title ?? phase));
      expect(overdue).toContain(`>${spread(n)}<`);
    }
    for (const [ladder, rungs] of Object.entries(result.ladders)) {
      for (const [rung, n] of Object.entries(rungs)) expect(section(html, 'ladders')).toContain(`<td>${escapeHtml(ladder)}</td><td>${rung}</td><td class="num" data-v="${n.mean}">${spread(n)}</td>`);
    }
    expect(Object.keys(result.flags).length).toBeGreaterThan(0);
    for (const [flag, n] of Object.entries(result.flags)) expect(section(html, 'flags')).toContain(`<td>${escapeHtml(flag)}</td><td class="num" data-v="${n.mean}">${spread(n)}</td>`);
    expect(section(html, 'effects')).toContain(`<td>诫勉谈话 (admonish)</td>`);
    for (const n of Object.values(result.effects)) expect(section(html, 'effects')).toContain(`>${spread(n)}<`);
    expect(section(html, 'effects')).toContain(`<td>被表彰</td><td class="num" data-v="${result.commended.mean}">${spread(result.commended)}</td>`);
    expect(section(html, 'effects')).toContain(`<td>被质询</td><td class="num" data-v="${result.questioned.mean}">${spread(result.questioned)}</td>`);
    for (const [id, r] of Object.entries(result.rankings)) {
      expect(section(html, 'rankings')).toContain(escapeHtml(id));
      expect(section(html, 'rankings')).toContain(`参评 ${spread(r.ranked)}`);
    }
  });

  it('when a rank is shown, then its label is whole: the mean to one decimal and both ends, in a table cell that is never cut', () => {
    const rankings = section(html, 'rankings');
    for (const r of Object.values(result.rankings)) {
      for (const [subject, rank] of Object.entries(r.ranks)) {
        const text = `${Math.round(rank.mean * 10) / 10} [${rank.p5}, ${rank.p95}]`;
        expect(rankings).toContain(`<td>${escapeHtml(subject)}</td><td class="num" data-v="${rank.mean}">${text}</td>`);
      }
    }
    expect(rankings).not.toMatch(/rank \d+\.\d{3,}/);
  });

  it('when a count is charted, then its axis ticks are whole numbers and month labels are written YYYY-MM', () => {
    const shown = figures(html);
    for (const id of ['phases', 'flags', 'effects', 'overdue', 'ladder-climbs']) {
      const ticks = texts(shown.get(id) ?? '').filter((x) => /^-?[\d.]+$/.test(x));
      expect(ticks.length, id).toBeGreaterThan(1);
      for (const tick of ticks) expect(Number.isInteger(Number(tick)), `${id} ${tick}`).toBe(true);
    }
    expect(texts(shown.get('phases') ?? '').filter((x) => /^\d{4}-\d\d$/.test(x))).toEqual(result.monthly.map((m) => m.month));
  });

  it("when the scenario is given, then its assumptions are written in words with their units, not as keys (002-lax's own values)", () => {
    const assumptions = section(html, 'assumptions');
    expect(assumptions).not.toContain('behaviour.default');
    // 002-lax: delay normal mean 35 sd 20, never 0.1, complaints 0.12, findings 0.3, scores mean 70 sd 12 — on 8 units of 2 members here.
    for (const words of ['<td>单位</td><td>8个，每个单位2人</td>', '<td>任务完成时间</td><td>自任务开始起平均35天（正态分布，标准差20天）</td>', '<td>任务从不完成的概率</td><td>10%</td>', '<td>查实投诉</td><td>每人每月0.12件</td>', '<td>得分（默认）</td><td>平均70分（正态分布，标准差12分）</td>', '<td>检查发现问题</td><td>每个单位每月0.3个</td>']) {
      expect(assumptions).toContain(words);
    }
    // rectification 0.4 / 0.3 / 0.2, so 10% never; the office's tasks 0–10 days, never 0.
    expect(assumptions).toContain('按期整改40%，逾期1–15天整改30%，复查不通过20%，不整改10%');
    expect(assumptions).toContain('<td>office：任务完成时间</td><td>自任务开始起0–10天（均匀分布）</td>');
    expect(assumptions).toContain(escapeHtml(result.seeds.join(', ')));
  });

  it('when no language is given, then a Chinese campaign is reported in Chinese and an English one in English; --lang overrides', () => {
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<h2>年终排名</h2>');
    const en = renderReport(result, { scenario: s, lang: 'en' });
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<h2>Year-end rankings</h2>');
    expect(en).toContain('<td>Time to complete a task</td><td>mean 35 days (normal, sd 20 days) from its opening</td>');
    const english = renderReport({ ...result, timeline: { ...result.timeline, campaign: 'Work style year' } });
    expect(english).toContain('<html lang="en">');
  });

  it('when the scenario and the result carry hostile text, then it comes out escaped, in tables and in charts', () => {
    const evil = '<script>alert("x&y")</script>';
    const hostile = renderReport(
      { ...result, scenario: evil, flags: { ...result.flags, [evil]: { mean: 1, p5: 0, p95: 2 } }, rankings: { [`${evil}r`]: Object.values(result.rankings)[0] as MonteCarloResult['rankings'][string] } },
      { scenario: { ...s, id: evil, title: `'${evil}'` } },
    );
    expect(hostile.match(/<script/g)).toHaveLength(1);
    expect(hostile).toContain('&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;');
    expect(hostile).toContain('&#39;&lt;script&gt;');
    expect(texts(figures(hostile).get('flags') ?? '')).toContain('&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;');
  });

  it('when a ranking has more subjects than maxStrips, then its charts draw only the best and worst, and its table lists every subject', () => {
    const found = [...Object.entries(result.rankings).entries()].find(([, [, r]]) => Object.keys(r.ranks).length > 4);
    // Without such a ranking the test says so (destructuring `?? []` threw a TypeError before the expect below).
    if (!found) return expect.unreachable('a ranking with more than 4 subjects');
    const [index, [id, ranking]] = found;
    expect(id).toBeDefined();
    const small = renderReport(result, { maxStrips: 4 });
    const deciles = figures(small).get(`deciles-${(index ?? 0) + 1}-1`) ?? '';
    const drawn = texts(deciles).filter((x) => Object.hasOwn(ranking?.ranks ?? {}, x));
    expect(drawn).toHaveLength(4);
    const table = small.match(new RegExp(`<table id="ranking-table-${(index ?? 0) + 1}"[\\s\\S]*?</table>`))?.[0] ?? '';
    expect(table.match(/<tr>/g)?.length).toBe(Object.keys(ranking?.ranks ?? {}).length + 1);
  });
});

describe('given a ranking of 2,500 members (a large organisation)', () => {
  it('when rendered, then its table lists the best and the worst 1,000 (results.csv has all), so the page stays small', async () => {
    const base = await monteCarlo({ definitions, processId: PROCESS, scenario: scenario(), runs: 1, seed: 5, threads: 1 });
    const ranks = Object.fromEntries(Array.from({ length: 2500 }, (_, i) => [`u${Math.floor(i / 5) + 1}/m${(i % 5) + 1}`, { mean: i + 1, p5: i + 1, p95: i + 1, deciles: [] as number[] }]));
    const big: MonteCarloResult = { ...base, rankings: { 标兵: { subject: 'member', ranked: { mean: 2500, p5: 2500, p95: 2500 }, top: {}, bottom: {}, ranks } } };
    const html = renderReport(big, { maxStrips: 4 });
    const table = html.match(/<table id="ranking-table-1"[\s\S]*?<\/table>/)?.[0] ?? '';
    const names = [...table.matchAll(/<tr><td>([^<]+)<\/td>/g)].map((m) => m[1]);
    // Ranks 1–1000 and 1501–2500: u1/m1 … u200/m5, then u301/m1 … u500/m5.
    expect(names).toHaveLength(2000);
    expect(names.slice(0, 2)).toEqual(['u1/m1', 'u1/m2']);
    expect(names[999]).toBe('u200/m5');
    expect(names[1000]).toBe('u301/m1');
    expect(names.at(-1)).toBe('u500/m5');
    expect(html).toContain('表中列出最好和最差的各 1000 个（results.csv 中有全部）');
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

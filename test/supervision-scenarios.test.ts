import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidationResult } from '@luoshi/dsl';
import type { Effect, OrganisationUnit } from '@luoshi/engine';
import { runCli } from '@luoshi/cli';
import { loadScenarioFile, simulate, type ItemBehaviour, type ScenarioFile, type SentEvent, type SimulationResult } from '@luoshi/sim';
import { root } from './support/campaign-harness.js';
import { validateDirective } from './support/directive-run.js';

/*
 * The baseline scenarios of D2 and D6 (issue 19, "Done when"): examples/scenarios/d2-baseline.yaml and
 * d6-baseline.yaml simulate their directives (examples/directives/d2-*.yaml, d6-*.yaml), and results
 * carry `lights` and `items`. Variants of each baseline change only how items behave, so the expected
 * counts follow by hand from the directive's text and the variant: every figure below is worked out
 * from them, never copied from a run.
 */

/** A scenario of examples/scenarios/ with its organisation (read from its file, when it names one). */
function scenarioFile(name: string): { scenario: ScenarioFile; organisation?: OrganisationUnit } {
  const loaded = loadScenarioFile(`${root}examples/scenarios/${name}.yaml`);
  expect(loaded.diagnostics).toEqual([]);
  return { scenario: loaded.scenario as ScenarioFile, ...(loaded.organisation ? { organisation: loaded.organisation } : {}) };
}

/** The scenario with every unit's items behaving as `items` (the default's, and each kind's that had its own). */
function withItems(scenario: ScenarioFile, items: ItemBehaviour): ScenarioFile {
  const kinds = Object.fromEntries(Object.entries(scenario.behaviour.kinds ?? {}).map(([kind, b]) => [kind, b.items ? { ...b, items } : b]));
  return { ...scenario, behaviour: { default: { ...scenario.behaviour.default, items }, kinds } };
}

/** One run with every event it sent and every effect it delivered. */
async function run(definitions: ValidationResult, processId: string, scenario: ScenarioFile, organisation?: OrganisationUnit) {
  const sent: SentEvent[] = [];
  const effects: Effect[] = [];
  const result = await simulate({ definitions, processId, scenario, ...(organisation ? { organisation } : {}), onSent: (s) => sent.push(s), onEffect: (e) => effects.push(e) });
  return { result, sent, effects };
}

/** Per item (`instance item`), how many events of a type it was sent. */
function perItem(sent: readonly SentEvent[], type: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of sent) {
    if (s.event.type !== type) continue;
    const key = `${s.instanceId} ${(s.event as { item: string }).item}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

describe('D2 广元 贴蓝签、挂黄牌、亮红灯: the baseline scenario and variants of it', () => {
  const processId = '环保督察整改亮牌';
  let definitions: ValidationResult;
  let baseline: SimulationResult;
  beforeAll(async () => {
    definitions = validateDirective('d2-guangyuan-lanqian.yaml');
    baseline = (await run(definitions, processId, scenarioFile('d2-baseline').scenario)).result;
  });

  it('when the baseline is simulated, then the result carries the lights of June to December 2018 (units, tasks, items, the board) and the items', () => {
    expect(baseline.lights?.months.map((m) => m.month)).toEqual(['2018-06', '2018-07', '2018-08', '2018-09', '2018-10', '2018-11', '2018-12']);
    // 30 units and the office: every instance is on the board, one light a month end.
    expect(Object.keys(baseline.lights?.board ?? {})).toHaveLength(31);
    for (const row of Object.values(baseline.lights?.board ?? {})) expect(row).toHaveLength(7);
    for (const m of baseline.lights?.months ?? []) expect(m.units.red + m.units.yellow + m.units.green + m.units.blue).toBe(31);
    expect(baseline.items).toBeDefined();
    expect(baseline.items?.opened).toBe(baseline.events.sent['item.opened']);
    expect((baseline.items?.closed ?? 0) + (baseline.items?.open ?? 0)).toBe(baseline.items?.opened);
    // The office labels at every roll-call (July to December), and some labels and due days are yellow or red.
    expect(baseline.events.sent['item.assessed']).toBeGreaterThan(0);
    expect(baseline.effects.notify).toBeGreaterThan(0);
    expect(baseline.effects.admonish).toBeGreaterThan(0);
    expect(baseline.events.rejected).toEqual({});
  });

  it('when the office labels every open item yellow at every roll-call, then each item labelled twice or more gets one 专函督办 (the second yellow), and nobody is interviewed', async () => {
    // No due days (no due-day yellows) and nothing resolved: an item's yellows are its labels.
    const { result, sent, effects } = await run(definitions, processId, withItems(scenarioFile('d2-baseline').scenario, { openedPerUnitPerMonth: 0.25, resolveDays: 1e7, passRate: 1, labels: { yellow: 1 } }));
    const labels = perItem(sent, 'item.assessed');
    expect(labels.size).toBeGreaterThan(20);
    // Roll-calls on 1 July … 1 December: six at most for an item handed out in June.
    expect(Math.max(...labels.values())).toBe(6);
    const letters = effects.filter((e) => e.action === '专函督办');
    expect(letters).toHaveLength([...labels.values()].filter((k) => k >= 2).length);
    expect(effects.filter((e) => e.action === '约谈主要负责人')).toEqual([]);
    // At the end every labelled item is yellow; one handed out after the 1 December roll-call is still unlit.
    expect(result.lights?.months.at(-1)?.items).toEqual({ red: 0, yellow: labels.size, green: 0, blue: 0 });
  });

  it('when the office labels every open item red, then each label costs an interview of the principal and accountability (约谈, 追责问责)', async () => {
    const { sent, effects } = await run(definitions, processId, withItems(scenarioFile('d2-baseline').scenario, { openedPerUnitPerMonth: 0.25, resolveDays: 1e7, passRate: 1, labels: { red: 1 } }));
    const labels = [...perItem(sent, 'item.assessed').values()].reduce((a, b) => a + b, 0);
    expect(labels).toBeGreaterThan(20);
    expect(effects.filter((e) => e.action === '约谈主要负责人')).toHaveLength(labels);
    expect(effects.filter((e) => e.action === '追责问责')).toHaveLength(labels);
    expect(effects.filter((e) => e.action === '专函督办')).toEqual([]);
  });

  it('when luoshi simulate runs the baseline, then its JSON carries lights and items and its text the items and their lights', async () => {
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined, env: {} };
    const args = ['simulate', `${root}examples/directives/d2-guangyuan-lanqian.yaml`, '--scenario', `${root}examples/scenarios/d2-baseline.yaml`];
    expect(await runCli([...args, '--format', 'json'], io)).toBe(0);
    const json = JSON.parse(stdout) as { lights?: { months: unknown[] }; items?: Record<string, unknown> };
    expect(json.lights?.months).toHaveLength(7);
    expect(Object.keys(json.items ?? {}).sort()).toEqual(['closed', 'escalated', 'open', 'opened']);
    stdout = '';
    expect(await runCli([...args, '--lang', 'zh'], io)).toBe(0);
    expect(stdout).toContain('督办事项：交办');
    expect(stdout).toContain('督办事项灯色（期末）：红');
    expect(stdout).toContain('三色图');
  });
});

describe('D6 三亚 红黄绿亮牌: the baseline scenario and variants of it', () => {
  const processId = '项目建设亮牌督办';
  // organisations/d6-sanya.yaml: seven areas, each with its investment task and four projects.
  const AREAS = 7;
  const PROJECTS = 28;
  let definitions: ValidationResult;
  let files: { scenario: ScenarioFile; organisation?: OrganisationUnit };
  let baseline: SimulationResult;
  beforeAll(async () => {
    definitions = validateDirective('d6-sanya-liangpai.yaml');
    files = scenarioFile('d6-baseline');
    baseline = (await run(definitions, processId, files.scenario, files.organisation)).result;
  });

  /** Every item reported at the unit's share of the month's plan, never resolved. */
  const atShare = (mean: number): ItemBehaviour => ({ openedPerUnitPerMonth: 0, resolveDays: 1e7, passRate: 1, progress: { kind: 'fixed', mean } });

  it('when the baseline is simulated, then every listed project and area task is an item, reported each month from February, and the result carries lights and items', () => {
    expect(baseline.items?.opened).toBe(AREAS + PROJECTS);
    expect(baseline.events.sent['item.opened'] ?? 0).toBe(0);
    expect(baseline.lights?.months).toHaveLength(12);
    expect(Object.keys(baseline.lights?.board ?? {})).toHaveLength(AREAS + 1);
    // Reports on 1 February … 1 December (no whole month gone on 1 January), for the items still open then.
    expect(baseline.events.sent['item.progress']).toBeLessThanOrEqual(11 * (AREAS + PROJECTS));
    expect(baseline.events.sent['item.progress']).toBeGreaterThan(10 * (AREAS + PROJECTS));
    expect(baseline.events.rejected).toEqual({});
  });

  it('when every area keeps exactly to the pro-rata plan, then no card is ever yellow or red, no one is interviewed and nothing escalates', async () => {
    const { result, sent, effects } = await run(definitions, processId, withItems(files.scenario, atShare(1)), files.organisation);
    expect(sent.filter((s) => s.event.type === 'item.progress')).toHaveLength(11 * (AREAS + PROJECTS));
    for (const m of result.lights?.months ?? []) expect(m.items).toEqual({ red: 0, yellow: 0, green: AREAS + PROJECTS, blue: 0 });
    expect(effects.filter((e) => e.cause.startsWith('item') || ['约谈项目责任人', '副市长约谈', '市领导约谈'].includes(e.action ?? ''))).toEqual([]);
    expect(result.items?.escalated).toBe(0);
  });

  it('when every area reaches 30% of the plan, then every project is red at every report (70% short) and goes to 市级 at its second, and each area task is yellow at its first miss and red from the second', async () => {
    const { result, effects } = await run(definitions, processId, withItems(files.scenario, atShare(0.3)), files.organisation);
    // 11 reports a project, each red: the city leader interviews the owner each time (项目红牌).
    expect(effects.filter((e) => e.action === '市领导约谈')).toHaveLength(11 * PROJECTS);
    expect(effects.filter((e) => e.action === '约谈项目责任人' || e.action === '副市长约谈')).toEqual([]);
    // escalateAfterReds 2 over [区级, 市级]: once each, at the 1 March report.
    expect(effects.filter((e) => e.effect === 'item-escalated')).toHaveLength(PROJECTS);
    expect(result.items?.escalated).toBe(PROJECTS);
    // Month by month: every item listed in January, none closed, all 28 escalated in March.
    expect(result.monthly.map((m) => m.items)).toEqual(
      result.monthly.map((m) => ({ opened: m.month === '2022-01' ? AREAS + PROJECTS : 0, closed: 0, escalated: m.month === '2022-03' ? PROJECTS : 0 })),
    );
    // End of January (the 1 February report): projects red, area tasks at their first miss yellow; then all red.
    expect(result.lights?.months[0]?.items).toEqual({ red: PROJECTS, yellow: AREAS, green: 0, blue: 0 });
    for (const m of result.lights?.months.slice(1) ?? []) expect(m.items).toEqual({ red: AREAS + PROJECTS, yellow: 0, green: 0, blue: 0 });
    // An area's light is the worst of its tasks and items: red at every month end.
    for (const [unit, row] of Object.entries(result.lights?.board ?? {})) if (unit !== '三亚市投资项目建设领导小组办公室') expect(row.every((l) => l === 'red')).toBe(true);
  });
});

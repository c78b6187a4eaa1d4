import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateProcessPaths } from '@luoshi/dsl';
import { fitScenario, readLiveCampaign, simulate, simulateFrom, SIMULATION_CAMPAIGN_ID, validateScenarioText, type FittedScenario, type ScenarioFile } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';

/*
 * 情景拟合 (issue 21): seed 002 (73 units × 5 members, 30% 窗口单位) run on SQLite to 1 July 2010
 * under assumptions written here — 窗口单位 finish a task normal(4, 1) days after it opens,
 * 机关科室 normal(9, 2), nobody leaves one undone; verified complaints 0.06 per member and month in
 * 窗口单位, 0.03 elsewhere — then `fitScenario` reads the file. Each fitted figure must lie within
 * four standard errors of the assumption, the standard error worked out by hand from the sample
 * size the file's comments give: sd / √n for a mean, √(rate · exposure) / exposure for a Poisson rate.
 */
const root = new URL('../', import.meta.url).pathname;
const MID = Date.parse('2010-07-01T00:00:00+08:00');

let fitted: FittedScenario;
let live: Awaited<ReturnType<typeof readLiveCampaign>>;

function assumed(): ScenarioFile {
  const text = readFileSync(`${root}examples/scenarios/002-baseline.yaml`, 'utf8')
    .replace('delay: { kind: normal, mean: 12, sd: 8 }\n      neverProbability: 0.03', 'delay: { kind: normal, mean: 9, sd: 2 }\n      neverProbability: 0')
    .replace('    窗口单位:\n      complaintsPerMemberPerMonth: 0.06', '    窗口单位:\n      tasks: { delay: { kind: normal, mean: 4, sd: 1 }, neverProbability: 0 }\n      complaintsPerMemberPerMonth: 0.06');
  const checked = validateScenarioText(text, 'assumed.yaml');
  if (!checked.ok || !checked.scenario) throw new Error(JSON.stringify(checked.diagnostics));
  return checked.scenario;
}

/** The number a comment just before `key:` (at this indentation) gives as its sample: the first number of the comment. */
function sampleOf(text: string, indent: string, key: string, after = ''): number {
  const from = after === '' ? 0 : text.indexOf(after);
  const at = text.indexOf(`\n${indent}${key}:`, from);
  const comment = text.slice(0, at).split('\n').at(-1) ?? '';
  const n = /# (?:days from opening to completion: )?(\d+(?:\.\d+)?)/.exec(comment)?.[1];
  if (n === undefined) throw new Error(`no sample before ${key}: ${comment}`);
  return Number(n);
}

beforeAll(async () => {
  const definitions = validateProcessPaths([`${root}processes`]);
  const file = join(mkdtempSync(join(tmpdir(), 'luoshi-fit-')), 'live.sqlite');
  await simulate({ definitions, processId: '机关作风建设年', scenario: assumed(), store: await createKyselyStore({ sqlite: file }), until: MID });
  const store = await createKyselyStore({ sqlite: file });
  await store.setCampaignClock(SIMULATION_CAMPAIGN_ID, MID);
  await store.close();
  const reader = await createKyselyStore({ sqlite: file, readOnly: true });
  try {
    live = await readLiveCampaign(reader, SIMULATION_CAMPAIGN_ID, { keepHistory: true });
  } finally {
    await reader.close();
  }
  fitted = await fitScenario(live);
}, 120_000);

describe('given seed 002 run to 1 July 2010 under known delays and complaint rates', () => {
  it('when a scenario is fitted, then each kind\'s mean delay lies within four standard errors (sd / √n) of the assumed one', () => {
    const kinds = fitted.scenario.behaviour.kinds ?? {};
    for (const [kind, mean, sd] of [['窗口单位', 4, 1], ['机关科室', 9, 2]] as const) {
      const n = sampleOf(fitted.text, '        ', 'delay', `\n    ${kind}:`);
      expect(n).toBeGreaterThan(30);
      const delay = kinds[kind]?.tasks?.delay;
      expect(delay?.kind).toBe('normal');
      expect(Math.abs((delay?.mean ?? Infinity) - mean)).toBeLessThanOrEqual((4 * sd) / Math.sqrt(n));
      // The spread too, loosely: a sample sd within a third of the true one at these sizes.
      expect(Math.abs((delay?.sd ?? Infinity) - sd)).toBeLessThanOrEqual(sd / 3);
    }
  });

  it('when a scenario is fitted, then complaints per member-month lie within four Poisson standard errors of the assumed rates', () => {
    const kinds = fitted.scenario.behaviour.kinds ?? {};
    for (const [kind, rate] of [['窗口单位', 0.06], ['机关科室', 0.03]] as const) {
      const memberMonths = Number(/\/ ([\d.]+) member-months/.exec(fitted.text.slice(fitted.text.indexOf(`\n    ${kind}:`)))?.[1]);
      // 5 members × units of the kind × 2.99 months (1 April to 1 July).
      expect(memberMonths).toBeGreaterThan(300);
      const fittedRate = kinds[kind]?.complaintsPerMemberPerMonth ?? Infinity;
      expect(Math.abs(fittedRate - rate)).toBeLessThanOrEqual((4 * Math.sqrt(rate * memberMonths)) / memberMonths);
    }
  });

  it('when a scenario is fitted, then nobody is estimated to leave much undone, and the file validates and simulates from where the campaign stands', async () => {
    for (const kind of ['窗口单位', '机关科室']) expect(fitted.scenario.behaviour.kinds?.[kind]?.tasks?.neverProbability).toBeLessThan(0.02);
    const checked = validateScenarioText(fitted.text, 'fitted.yaml');
    expect(checked.diagnostics).toEqual([]);
    expect(checked.scenario).toEqual(fitted.scenario);
    expect(fitted.text).toMatch(/^# yaml-language-server: \$schema=/);
    const result = await simulateFrom({ source: live, scenario: checked.scenario as ScenarioFile, seed: 4 });
    expect(result.events.sent['task.completed']).toBeGreaterThan(0);
  }, 60_000);
});

import { parseProcessText, validateParsedFiles, type ValidationResult } from '@luoshi/dsl';
import { SIMULATION_CAMPAIGN_ID, simulate, validateScenarioText, type ScenarioFile, type SimulationResult } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { minimalCampaign, minimalScenario, office, unit, type PhaseSpec } from './minimal-campaign.js';

/*
 * A small campaign to continue from (从当前状态续推), every figure countable by hand.
 * 2024-01-01 to 2024-06-30 over 12 units: phase 部署 (January–April) with 报送方案 due 15 February,
 * phase 总结 (May–June) with 半年总结 due 20 June. A task left overdue flags its unit 通报 and
 * delivers one 通报批评 (criticise).
 * Recorded under `RECORDED`: the 4 units of kind 慢 (the first 4, kinds are given in blocks) never
 * do anything, the 8 of kind 快 do each task a day after it opens. So on 16 February 00:00 the 4 慢
 * units' 报送方案 go overdue: 4 flagged from then on, 4 criticise effects in February; nothing else
 * happens before May.
 */
export const FROM_PROCESS = '续推对比';
export const FROM_CAMPAIGN = overdueNoticeCampaign(FROM_PROCESS, [
  { id: '部署', window: '1月至4月', body: `
    tasks:
      - { id: 报送方案, title: 报送实施方案, owner: 单位, due: 2月15日 }` },
  { id: '总结', window: '5月至6月', body: `
    tasks:
      - { id: 半年总结, title: 报送半年总结, owner: 单位, due: 6月20日 }` },
]);

/**
 * A campaign from 2024-01-01 to 2024-06-30 (office 办公室, units 单位) whose every overdue task flags
 * its unit 通报 and delivers one 通报批评 (criticise), with the phases given: the continued campaign
 * above, and the campaign of the monthly flags and effects.
 */
export function overdueNoticeCampaign(id: string, phases: readonly PhaseSpec[]): string {
  return minimalCampaign({
    id,
    roles: [office('办公室'), unit('单位', '各单位')],
    blocks: `
      start: 2024-01-01
      end: 2024-06-30
      flags:
        - { id: 通报, title: 逾期被通报, subject: unit }
      actions:
        - { id: 通报批评, title: 通报批评, effect: criticise }`,
    phases,
    after: `
      consequences:
        - id: 逾期通报
          title: 逾期未报送的单位通报批评
          on: { event: task-overdue }
          subject: unit
          flags: [通报]
          actions: [通报批评]`,
  });
}

/** The scenario the campaign is recorded under: kind 慢 never does anything, kind 快 a day after opening. */
export const RECORDED = minimalScenario({
  id: '记录',
  seed: 3,
  units: 12,
  top: `process: ${FROM_PROCESS}`,
  organisation: 'kinds: [{ id: 慢, share: 1 }, { id: 快, share: 2 }]',
  behaviour: 'tasks: { delay: { kind: fixed, mean: 1 }, neverProbability: 0 }',
  kinds: '慢: { tasks: { delay: { kind: fixed, mean: 1 }, neverProbability: 1 } }',
});

/** A scenario for the rest: every task done 5 days after it opens (or after the cut), or never with `neverProbability`. */
export function continuing(id: string, neverProbability: number): string {
  return minimalScenario({
    id,
    seed: 11,
    units: 12,
    top: `process: ${FROM_PROCESS}`,
    behaviour: `tasks: { delay: { kind: fixed, mean: 5 }, neverProbability: ${neverProbability} }`,
  });
}

/** The campaign validated (`text`: a variant of `FROM_CAMPAIGN`). */
export function fromDefinitions(text = FROM_CAMPAIGN): ValidationResult {
  const result = validateParsedFiles([parseProcessText(text, 'c.yaml')]);
  if (!result.campaigns.has(FROM_PROCESS)) throw new Error(JSON.stringify(result.diagnostics));
  return result;
}

export function scenarioOf(text: string): ScenarioFile {
  const checked = validateScenarioText(text, 's.yaml');
  if (!checked.scenario) throw new Error(JSON.stringify(checked.diagnostics));
  return checked.scenario;
}

/**
 * Records the campaign under `RECORDED` on a SQLite file up to `cut` and leaves it standing there on
 * a rehearsal clock, as `luoshi simulate --db … --until` does; returns the run up to the cut.
 */
export async function recordUntil(file: string, cut: number, definitions: ValidationResult = fromDefinitions()): Promise<SimulationResult> {
  const recorded = await simulate({ definitions, processId: FROM_PROCESS, scenario: scenarioOf(RECORDED), store: await createKyselyStore({ sqlite: file }), until: cut });
  const store = await createKyselyStore({ sqlite: file });
  try {
    await store.setCampaignClock(SIMULATION_CAMPAIGN_ID, cut);
  } finally {
    await store.close();
  }
  return recorded;
}

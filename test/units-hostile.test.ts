import { parseProcessText, validateParsedFiles } from '@luoshi/dsl';
import { describe, expect, it } from 'vitest';
import { monteCarlo, simulate, unitTable, validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { UNIT_OUTCOMES_CAMPAIGN } from './support/unit-outcomes-campaign.js';

/*
 * 各单位结果 with hostile names: units called __proto__, constructor and toString, on the campaign of
 * support/unit-outcomes-campaign.ts (a process's own ids cannot be such names: DSL_RESERVED_ID; an
 * organisation's unit ids come from outside and can). Every unit does its one task 15 days after it
 * opens, 5 days late, so each is flagged, criticised, admonished and climbs the first rung, as any
 * other name would be.
 */
const CAMPAIGN = UNIT_OUTCOMES_CAMPAIGN;

const SCENARIO = `kind: scenario
id: 原型名
seed: 4
organisation: { units: 3, membersPerUnit: 0 }
behaviour:
  default:
    tasks: { delay: { kind: fixed, mean: 15 }, neverProbability: 0 }
`;

const ORGANISATION = { id: 'office', kind: 'office', units: ['__proto__', 'constructor', 'toString'].map((id) => ({ id, kind: 'unit', members: [] })) };

describe('given units named like Object.prototype\'s properties', () => {
  it('when simulated and aggregated, then each unit is an own key with its own outcome, and the unit table has a row for each', async () => {
    const definitions = validateParsedFiles([parseProcessText(CAMPAIGN, 'c.yaml')]);
    expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const scenario = validateScenarioText(SCENARIO, 's.yaml').scenario as ScenarioFile;
    const options = { definitions, processId: '单位结果', scenario, organisation: ORGANISATION };
    const result = await simulate(options);
    const units = result.units ?? {};
    expect(Object.keys(units).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    for (const id of Object.keys(units)) {
      expect(Object.hasOwn(units, id)).toBe(true);
      expect(units[id]).toEqual({
        tasks: { onTime: 0, late: 1, overdue: 0, open: 0 },
        daysLate: { sum: 5, max: 5 },
        flags: { 通报: 1 },
        effects: { admonish: 1, criticise: 1 },
        ladders: { 逾期: 1 },
      });
    }
    expect(Object.getPrototypeOf(units)).toBe(Object.prototype);
    const r = await monteCarlo({ ...options, runs: 2, threads: 1 });
    expect(Object.keys(r.units ?? {}).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(r.units?.['__proto__']).toMatchObject({ missedChance: 1, flags: { 通报: 1 }, ladders: { 逾期: { '1': 1 } } });
    const table = unitTable(r, 'en');
    expect(table.rows.map((row) => [row[0], row[table.columns.indexOf('daysLate')], row[table.columns.indexOf('flag:通报')]])).toEqual([
      ['__proto__', 5, 1],
      ['constructor', 5, 1],
      ['toString', 5, 1],
    ]);
  });
});

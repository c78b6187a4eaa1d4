/**
 * A scenario that validates with every behaviour key a process may need, written out one key a line:
 * the tests of scenario diagnostics break it at one spot and read the diagnostic's line and column,
 * so its layout is part of what they assert (`organisation` on line 4, `units` on 5, `membersPerUnit`
 * on 6, the behaviour from line 7).
 */
export const VALID_SCENARIO = `kind: scenario
id: t
seed: 1
organisation:
  units: 3
  membersPerUnit: 2
behaviour:
  default:
    tasks:
      delay: { kind: normal, mean: 5, sd: 2 }
      neverProbability: 0
    complaintsPerMemberPerMonth: 0.1
    scores:
      default: { kind: uniform, min: 60, max: 100 }
    findingsPerUnitPerMonth: 0.1
    rectification: { onTime: 0.8, late: 0.1, failsReinspection: 0.1 }
`;

/** The valid scenario under `id` for the process `process` (its `process:` key on line 3, the rest a line further down). */
export function validScenarioOf(process: string, id = 't'): string {
  return VALID_SCENARIO.replace('id: t\n', `id: ${id}\nprocess: ${process}\n`);
}

/**
 * Golden results: what the simulator produces for every seed × shipped scenario and for a small
 * Monte Carlo, committed under test/golden/ so that a change of result is a deliberate act
 * (`npm run golden:update`, and the commit says why). The test compares; this module makes them.
 */
import { readdirSync } from 'node:fs';
import { validateProcessPaths } from '@luoshi/dsl';
import { loadScenarioFile, monteCarlo, simulate, type ScenarioFile } from '@luoshi/sim';

const root = new URL('../../', import.meta.url).pathname;

/** Where the golden files live. */
export const goldenDir = `${root}test/golden/`;

/** The campaign each seed's scenarios simulate. */
const PROCESS_OF_SEED: ReadonlyMap<string, string> = new Map([
  ['000', '三型机关动员月'],
  ['002', '机关作风建设年'],
  ['004', '机关创新行动'],
]);

/** One golden result: its file name and how to make it. */
export interface GoldenCase {
  readonly file: string;
  make(): Promise<unknown>;
}

function scenarioFile(name: string): ScenarioFile {
  const loaded = loadScenarioFile(`${root}examples/scenarios/${name}.yaml`);
  if (!loaded.ok || !loaded.scenario) throw new Error(`${name}: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.scenario;
}

/** Every shipped scenario as it ships, one run each, and a Monte Carlo of 8 runs of seed 002's baseline. */
export function goldenCases(): GoldenCase[] {
  const definitions = validateProcessPaths([`${root}processes/`]);
  const cases: GoldenCase[] = [];
  for (const entry of readdirSync(`${root}examples/scenarios/`).sort()) {
    const match = /^(\d{3})-([a-z]+)\.yaml$/.exec(entry);
    const processId = match ? PROCESS_OF_SEED.get(match[1] as string) : undefined;
    if (!match || processId === undefined) continue;
    const name = `${match[1]}-${match[2]}`;
    cases.push({ file: `sim-${name}.json`, make: () => simulate({ definitions, processId, scenario: scenarioFile(name) }) });
  }
  cases.push({
    file: 'monte-carlo-002-baseline-8.json',
    make: () => monteCarlo({ definitions, processId: '机关作风建设年', scenario: scenarioFile('002-baseline'), runs: 8, threads: 1 }),
  });
  return cases;
}

/** The bytes a golden file holds: two-space JSON and a final newline. */
export const goldenText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

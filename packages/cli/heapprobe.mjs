import { validateProcessPaths } from '@luoshi/dsl';
import { simulate, loadScenarioFile } from '@luoshi/sim';
import { createMemoryStore } from '@luoshi/engine';
const defs = validateProcessPaths(['processes/']);
const sc = loadScenarioFile('examples/scenarios/002-baseline.yaml');
const scenario = { ...sc.scenario, organisation: { ...sc.scenario.organisation, units: 200, membersPerUnit: 30 } };
globalThis.S = createMemoryStore();
await simulate({ definitions: defs, processId: '机关作风建设年', scenario, store: globalThis.S });
gc();

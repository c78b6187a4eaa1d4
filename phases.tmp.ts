import { validateProcessPaths } from '@luoshi/dsl';
import { loadScenarioFile, simulate } from '@luoshi/sim';
import { createMemoryStore } from '@luoshi/engine';
import { SEED_PROCESS } from './bench/lib/seed-campaign.js';
const definitions = validateProcessPaths(['processes/']);
const loaded = loadScenarioFile('examples/scenarios/002-baseline.yaml');
const scenario = { ...loaded.scenario!, organisation: { ...loaded.scenario!.organisation!, units: Number(process.argv[2] ?? 1000), membersPerUnit: 30 } };
const t0 = performance.now(); const marks: [number, number][] = [];
await simulate({ definitions, processId: SEED_PROCESS, scenario, store: createMemoryStore({ keepHistory: false }), onProgress: (s) => marks.push([s, performance.now() - t0]) });
const end = performance.now() - t0;
const pick = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
console.log('first progress', marks[0]?.[1].toFixed(0), 'ms at share', marks[0]?.[0]);
for (const p of pick) { const m = marks.find(([s]) => s >= p); if (m) console.log(p, m[1].toFixed(0)); }
console.log('end', end.toFixed(0), 'collect', (end - marks[marks.length - 1]![1]).toFixed(0));

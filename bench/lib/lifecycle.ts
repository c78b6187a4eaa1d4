import { EventEmitter } from 'node:events';
import { Engine as BpmnEngine, type BpmnEngineOptions } from 'bpmn-engine';
import type { CampaignDefinition } from '@luoshi/dsl';
import { createEngine, VirtualClock, type Store } from '@luoshi/engine';
import { poolFor, since } from './stats.js';

/** Tasks in one lifecycle. */
export const LIFECYCLE_TASKS = 10;

/**
 * The lifecycle campaign: one phase `办理` that ends when all its required tasks are done, ten tasks
 * owned by a unit-level role, a window covering the year.
 */
export const LIFECYCLE_DEFINITION = {
  kind: 'campaign',
  id: '办件',
  version: 1,
  title: '办件（基准测试）',
  source: { title: 'bench/engine.ts' },
  timezone: 'Asia/Shanghai',
  year: 2010,
  subjects: ['unit'],
  roles: [{ id: '承办单位', title: '承办单位', level: 'unit' }],
  phases: [
    {
      id: '办理',
      title: '办理',
      window: '1月至12月',
      exit: 'all-required-done',
      tasks: Array.from({ length: LIFECYCLE_TASKS }, (_, i) => ({ id: `任务${i + 1}`, title: `任务${i + 1}`, owner: '承办单位', due: '12月31日' })),
    },
  ],
} satisfies CampaignDefinition;

/** What a lifecycle run measured. */
export interface LifecycleResult {
  readonly lifecycles: number;
  readonly ms: number;
  readonly lifecyclesPerSec: number;
  readonly concurrency: number;
}

/**
 * Runs lifecycles on `store` for about `seconds`: each starts its own campaign over a one-unit
 * organisation and completes the ten tasks one after the other; `concurrency` lifecycles run at
 * once. Checks that every lifecycle's last event ended the instance, and once through `state()`.
 */
export async function luoshiLifecycles(store: Store, seconds: number, concurrency: number, prefix: string): Promise<LifecycleResult> {
  const clock = new VirtualClock(Date.UTC(2010, 5, 14, 16));
  const engine = createEngine({ store, clock });
  await engine.deploy([LIFECYCLE_DEFINITION]);
  let ended = 0;
  const lifecycle = async (n: number): Promise<void> => {
    const campaignId = `${prefix}${n}`;
    const { instances } = await engine.startCampaign({ process: LIFECYCLE_DEFINITION.id, organisation: { id: 'u1' }, campaignId });
    const instanceId = (instances[0] as { instanceId: string }).instanceId;
    let phase = '';
    for (let t = 1; t <= LIFECYCLE_TASKS; t++) phase = (await engine.send(instanceId, { type: 'task.completed', task: `任务${t}` }, { actor: 'bench' })).phase;
    if (phase !== 'ended') throw new Error(`lifecycle ${campaignId} is in ${phase} after ${LIFECYCLE_TASKS} tasks, not ended`);
    ended++;
  };
  await lifecycle(0);
  const check = await engine.state(`${prefix}0/u1`);
  if (check.phase !== 'ended' || !check.ended) throw new Error(`lifecycle ${prefix}0 did not end: ${check.phase}`);
  const start = performance.now();
  await poolFor(seconds, concurrency, (n) => lifecycle(n + 1));
  const ms = since(start);
  const lifecycles = ended - 1;
  return { lifecycles, ms, lifecyclesPerSec: lifecycles / (ms / 1000), concurrency };
}

/** The same shape in BPMN: start, ten user tasks in sequence, end. */
export const LIFECYCLE_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench" targetNamespace="http://luoshi.bench">
  <process id="banjian" isExecutable="true">
    <startEvent id="start" />
${Array.from({ length: LIFECYCLE_TASKS }, (_, i) => `    <userTask id="task${i + 1}" />`).join('\n')}
    <endEvent id="end" />
${['start', ...Array.from({ length: LIFECYCLE_TASKS }, (_, i) => `task${i + 1}`)]
  .map((from, i, all) => `    <sequenceFlow id="flow${i}" sourceRef="${from}" targetRef="${all[i + 1] ?? 'end'}" />`)
  .join('\n')}
  </process>
</definitions>`;

/**
 * bpmn-engine (in memory) for about `seconds`: per lifecycle a new Engine, execute, signal each user
 * task when it waits, wait for the end. `parsed` passes the definition already parsed and serialised
 * (as the Luoshi engine compiles once at deploy); otherwise each Engine parses the XML.
 */
export async function bpmnLifecycles(seconds: number, concurrency: number, parsed: boolean): Promise<LifecycleResult> {
  let sourceContext: BpmnEngineOptions['sourceContext'];
  if (parsed) {
    // The serialised context the engine built from the XML: later engines start from it directly.
    const [definition] = await new BpmnEngine({ name: 'parse', source: LIFECYCLE_BPMN }).getDefinitions();
    sourceContext = (definition as unknown as { environment: { options: { source: BpmnEngineOptions['sourceContext'] } } }).environment.options.source;
  }
  let done = 0;
  const lifecycle = async (n: number): Promise<void> => {
    const listener = new EventEmitter();
    let waits = 0;
    listener.on('activity.wait', (api: { signal(): void }) => {
      waits++;
      api.signal();
    });
    const engine = new BpmnEngine({ name: `l${n}`, ...(parsed ? { sourceContext } : { source: LIFECYCLE_BPMN }) });
    const end = engine.waitFor('end');
    await engine.execute({ listener });
    await end;
    if (waits !== LIFECYCLE_TASKS) throw new Error(`bpmn lifecycle ${n} waited ${waits} times, not ${LIFECYCLE_TASKS}`);
    done++;
  };
  await lifecycle(-1);
  done = 0;
  const start = performance.now();
  await poolFor(seconds, concurrency, lifecycle);
  const ms = since(start);
  return { lifecycles: done, ms, lifecyclesPerSec: done / (ms / 1000), concurrency };
}

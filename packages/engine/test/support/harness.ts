import { validateProcessText } from '@luoshi/dsl';
import { createEngine, createMemoryStore, VirtualClock, type Effect, type Engine, type Store } from '@luoshi/engine';
export { sampleOrganisation as organisation } from '@luoshi/engine';

/** Milliseconds of a wall-clock time in Shanghai, the zone of every test campaign. */
export function shanghai(iso: string): number {
  return Date.parse(`${iso}+08:00`);
}

/** An engine on a memory store and a virtual clock, with every delivered effect kept. */
export async function engineWith(
  yaml: string,
  options: { start: string; store?: Store; library?: { file: string; text: string }[] },
): Promise<{ engine: Engine; clock: VirtualClock; effects: Effect[]; store: Store; processId: string }> {
  const validation = validateProcessText(yaml, { file: 'test.yaml', ...(options.library ? { library: options.library } : {}) });
  if (!validation.ok || !validation.definition) throw new Error(validation.diagnostics.map((d) => `${d.code} ${d.message.en}`).join('\n'));
  const clock = new VirtualClock(shanghai(options.start));
  const effects: Effect[] = [];
  const store = options.store ?? createMemoryStore();
  const engine = createEngine({ store, clock, effects: { deliver: (e) => void effects.push(e) } });
  const defs = [validation.definition];
  await engine.deploy(defs);
  return { engine, clock, effects, store, processId: validation.definition.id };
}


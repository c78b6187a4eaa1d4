import { validateProcessText, type CampaignDefinition } from '@luoshi/dsl';
import type { CampaignPlan } from '../../src/compiler/campaign-plan.js';
import { compilePlan } from '../../src/compiler/compile-plan.js';
import { processBundle } from '../../src/compiler/process-bundle.js';
import type { MachineEvent } from '../../src/runtime/campaign-event.js';
import { initialContext, type InstanceContext } from '../../src/runtime/instance-context.js';
import { RecordKeeper } from '../../src/runtime/record-keeper.js';
import type { EffectDraft } from '../../src/runtime/step-records.js';

/**
 * The records of one unit's instance driven through the RecordKeeper alone (no statechart, engine or
 * store), for the domain modules' own tests: each step's effects kept, the context carried on.
 */
export interface Records {
  readonly plan: CampaignPlan;
  context: InstanceContext;
  /** The effects of every step so far, in order. */
  readonly effects: EffectDraft[];
  /** Applies one event (a member by id, as hosts name them). */
  apply(event: MachineEvent): void;
  /** Enters a phase at a time. */
  enter(phase: string, at: number): void;
}

/** Compiles a campaign text into its plan (it must validate). */
export function planOf(yaml: string): CampaignPlan {
  const validation = validateProcessText(yaml, { file: 'test.yaml' });
  if (!validation.ok || !validation.definition) throw new Error(validation.diagnostics.map((d) => `${d.code} ${d.message.en}`).join('\n'));
  return compilePlan(processBundle(validation.definition as CampaignDefinition, new Map()), 1);
}

/** A unit `u01` with the given members, its instance's records empty (no phase entered yet). */
export function recordsOf(plan: CampaignPlan, members: readonly string[]): Records {
  const records: Records = {
    plan,
    context: initialContext({ campaignId: 'c', unit: 'u01', office: false, unitWork: true, members, startedAt: plan.start, scoresPerOccurrence: true }),
    effects: [],
    apply(event) {
      const step = new RecordKeeper(plan, records.context).apply(event);
      records.context = step.context;
      records.effects.push(...step.effects);
    },
    enter(phase, at) {
      const step = new RecordKeeper(plan, records.context).enterPhase(phase, at);
      records.context = step.context;
      records.effects.push(...step.effects);
    },
  };
  return records;
}

/** Milliseconds of a wall-clock time in Shanghai, the zone of every test campaign. */
export function shanghai(iso: string): number {
  return Date.parse(`${iso}+08:00`);
}

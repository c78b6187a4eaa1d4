import type { CampaignPlan } from '../compiler/campaign-plan.js';
import type { EffectDraft } from './step-records.js';

/**
 * 步骤记录 — what one step wrote, noted by the rules while the statechart runs them: the task keys
 * they wrote (so the engine patches timers and counts for those keys instead of deriving them
 * again from every record of the unit) and the effects they raised. The statechart runs the rules
 * inside XState's transition, where nothing but the context comes back out; the step opens the
 * notes before the transition and closes them after (`step.ts`), all in one synchronous call, so
 * every rule that runs in between writes to this step's notes and no other's.
 */
export class StepNotes {
  #open = false;
  #keys: Set<string> | undefined;
  #effects: EffectDraft[] | undefined;

  /** Starts a step's notes. */
  open(): void {
    this.#open = true;
    this.#keys = undefined;
    this.#effects = undefined;
  }

  /** Ends the step's notes and hands them over: the keys written (none: an empty set) and the effects raised. */
  close(): { readonly keys: ReadonlySet<string>; readonly effects: readonly EffectDraft[] } {
    const out = { keys: this.#keys ?? NO_KEYS, effects: this.#effects ?? NO_EFFECTS };
    this.#open = false;
    this.#keys = undefined;
    this.#effects = undefined;
    return out;
  }

  /**
   * The set a rule adds each task key it writes to, this step's own. Outside a step (a machine run
   * by hand, as the raw-ceiling bench does) a set nobody keeps.
   */
  taskKeys(): Set<string> {
    if (!this.#open) return new Set();
    return (this.#keys ??= new Set());
  }

  /** An effect a rule raised; outside a step it is dropped. */
  effect(draft: EffectDraft): void {
    if (this.#open) (this.#effects ??= []).push(draft);
  }
}

const NO_KEYS: ReadonlySet<string> = new Set();
const NO_EFFECTS: readonly EffectDraft[] = Object.freeze([]);

/** Each plan's notes: every unit of a campaign runs one plan, and a step opens and closes them within one call. */
const notesOfPlan = new WeakMap<CampaignPlan, StepNotes>();

/** The step notes of a plan's instances. */
export function stepNotesOf(plan: CampaignPlan): StepNotes {
  let notes = notesOfPlan.get(plan);
  if (notes === undefined) notesOfPlan.set(plan, (notes = new StepNotes()));
  return notes;
}

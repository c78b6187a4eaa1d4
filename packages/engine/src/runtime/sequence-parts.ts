import type { CampaignPlan, StagePlan, UsePlan } from '../compiler/campaign-plan.js';
import { ownValue } from './own-keys.js';
import { withKey } from './record-keys.js';
import type { StepRecords } from './step-records.js';
import { itemDone } from './tasks.js';
import { openItems } from './work-opening.js';

/*
 * 环节依次进行 — a sub-process with `mode: sequence` runs its parts one after another: entering the
 * phase opens its first part (and its body) only; each later part opens when every required item of
 * the part before it is done for this instance's subjects (a part with none holds nothing back).
 * The instance keeps, per such use, how many of its parts are open (`InstanceContext.parts`). An
 * instance started before this release (no `partsInSequence` in its start) opens every part at
 * once, as it ran then.
 */

/** What opens with a stage: its items outside held parts, and the sequence uses that start with it. */
interface Opening {
  readonly items: readonly string[];
  readonly sequences: readonly string[];
}

/** One part of a sequence use: the items whose completion lets the next part open, and what opens with it. */
interface PartPlan extends Opening {
  readonly all: readonly string[];
}

/** Per plan: each sequence use's parts by use id, and what opens when each phase is entered. */
interface SequencePlan {
  readonly uses: ReadonlyMap<string, readonly PartPlan[]>;
  readonly phases: ReadonlyMap<string, Opening>;
}

const sequencesByPlan = new WeakMap<CampaignPlan, SequencePlan>();

function sequencesOf(plan: CampaignPlan): SequencePlan {
  let known = sequencesByPlan.get(plan);
  if (!known) {
    const uses = new Map<string, readonly PartPlan[]>();
    const phases = new Map<string, Opening>();
    for (const phase of plan.phases) phases.set(phase.id, opening(phase.stage, uses));
    known = { uses, phases };
    sequencesByPlan.set(plan, known);
  }
  return known;
}

/** Every item id of a stage, nested stages and uses included. */
function allItems(stage: StagePlan, into: string[] = []): string[] {
  into.push(...stage.itemIds);
  for (const ws of stage.workstreams) allItems(ws, into);
  for (const use of stage.uses) into.push(...use.itemIds);
  return into;
}

/** What opens with a stage; records the parts of every sequence use met on the way in `uses`. */
function opening(stage: StagePlan, uses: Map<string, readonly PartPlan[]>): Opening {
  const items: string[] = [...stage.itemIds];
  const sequences: string[] = [];
  const add = (o: Opening): void => {
    items.push(...o.items);
    sequences.push(...o.sequences);
  };
  for (const ws of stage.workstreams) add(opening(ws, uses));
  for (const use of stage.uses) {
    add(opening(use.body, uses));
    if (use.mode !== 'sequence' || use.parts.length === 0) {
      for (const part of use.parts) add(opening(part, uses));
      continue;
    }
    const parts = partsOf(use, uses);
    uses.set(use.id, parts);
    // The first part opens with the stage; the sequence uses inside it start with their use (`startSequence`).
    items.push(...(parts[0]?.items ?? []));
    sequences.push(use.id);
  }
  return { items, sequences };
}

function partsOf(use: UsePlan, uses: Map<string, readonly PartPlan[]>): PartPlan[] {
  return use.parts.map((part) => ({ ...opening(part, uses), all: allItems(part) }));
}

/**
 * The items a phase opens when entered: all of them in an instance started before parts ran in
 * sequence; else all but the later parts of its sequence uses, whose first parts it starts.
 */
export function phaseOpening(records: StepRecords, phaseId: string, all: readonly string[]): readonly string[] {
  if (records.context.partsInSequence !== true) return all;
  const opens = sequencesOf(records.plan).phases.get(phaseId);
  if (!opens) return all;
  for (const id of opens.sequences) startSequence(records, id);
  return opens.items;
}

/** A sequence use starts: its first part opens (the caller opens the phase's items, the first part's among them). */
function startSequence(records: StepRecords, useId: string): void {
  const parts = sequencesOf(records.plan).uses.get(useId);
  if (!parts || parts.length === 0) return;
  records.patch({ parts: withKey(records.context.parts ?? {}, useId, 1) });
  for (const id of parts[0]?.sequences ?? []) startSequence(records, id);
}

/**
 * After an event: every running sequence use whose open part is done opens its next part (and the
 * one after it while a part has no required item left). Items of the opened part are opened as a
 * phase opens them; a due counted from the phase counts from now, when the part begins.
 */
export function advanceParts(records: StepRecords): void {
  const running = records.context.parts;
  if (running === undefined) return;
  const { uses } = sequencesOf(records.plan);
  for (const useId of Object.keys(running)) {
    const parts = uses.get(useId);
    if (!parts) continue;
    let open = ownValue(records.context.parts ?? {}, useId) ?? parts.length;
    while (open < parts.length) {
      const before = parts[open - 1];
      const next = parts[open];
      if (!before || !next || !partDone(records, before.all)) break;
      open += 1;
      records.patch({ parts: withKey(records.context.parts ?? {}, useId, open) });
      openItems(records, next.items, true);
      for (const id of next.sequences) startSequence(records, id);
    }
  }
}

function partDone(records: StepRecords, ids: readonly string[]): boolean {
  for (const id of ids) if (records.plan.items.get(id)?.required && !itemDone(records.plan, records.context, id)) return false;
  return true;
}

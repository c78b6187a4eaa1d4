import type { CampaignPlan, Effect } from '@luoshi/engine';
import { cmp } from './stable-order.js';

/**
 * What a run's result needs of its effects, counted as they are delivered: per kind, who was
 * commended or questioned, and the ladder rungs climbed per month. A run used to keep every effect
 * until the end, a tenth of a large simulation's memory. Counting is order-free, so the result is
 * the same whatever order the effects come in.
 */
export class EffectTally {
  readonly counts = new Map<string, number>();
  readonly commended = new Set<string>();
  readonly questioned = new Set<string>();
  /** Per month (by index of `months`), ladder id → rungs climbed. */
  readonly climbs: Map<string, number>[];
  /** Per month (by index of `months`), effects delivered by kind (the month the effect is dated in; before the first: the first). */
  readonly perMonth: Map<string, number>[];
  /** Per month (by index of `months`), items escalated (挂牌督办, the `item-escalated` effects). */
  readonly escalations: number[];
  /** 各单位 — per unit id, effects delivered to it or its members by kind (a unit's few kinds, not its effects). */
  readonly unitEffects = new Map<string, Map<string, number>>();
  /** 各单位 — per unit id, ladder id → the highest rung it or one of its members climbed. */
  readonly unitRungs = new Map<string, Map<string, number>>();
  readonly #months: readonly number[];
  /** One climb counted once, however often its effects (one per action of a rung) arrive. */
  readonly #climbsSeen = new Set<string>();

  /** Effects dated at or after this instant are counted in the totals, in no month. */
  readonly #monthsEnd: number;

  constructor(plan: CampaignPlan, months: readonly number[], monthsEnd = Infinity) {
    this.#months = months;
    this.#monthsEnd = monthsEnd;
    this.climbs = months.map(() => new Map<string, number>());
    this.escalations = months.map(() => 0);
    this.perMonth = months.map(() => new Map<string, number>());
    for (const ladder of [...plan.ladders.keys()].sort(cmp)) for (const month of this.climbs) month.set(ladder, 0);
  }

  add(effect: Effect): void {
    this.counts.set(effect.effect, (this.counts.get(effect.effect) ?? 0) + 1);
    const who = effect.memberId === undefined ? effect.unitId : `${effect.unitId}/${effect.memberId}`;
    const byKind = this.perMonth[Math.max(0, this.#monthOf(effect.at))];
    if (byKind) byKind.set(effect.effect, (byKind.get(effect.effect) ?? 0) + 1);
    let mine = this.unitEffects.get(effect.unitId);
    if (mine === undefined) this.unitEffects.set(effect.unitId, (mine = new Map()));
    mine.set(effect.effect, (mine.get(effect.effect) ?? 0) + 1);
    if (effect.effect === 'commend') this.commended.add(who);
    if (effect.effect === 'question') this.questioned.add(who);
    if (effect.effect === 'item-escalated') {
      const i = Math.max(0, this.#monthOf(effect.at));
      if (i < this.escalations.length) this.escalations[i] = (this.escalations[i] ?? 0) + 1;
    }
    if (!effect.cause.startsWith('ladder:')) return;
    const key = `${effect.instanceId}|${effect.memberId ?? ''}|${effect.cause}|${effect.at}`;
    if (this.#climbsSeen.has(key)) return;
    this.#climbsSeen.add(key);
    const ladder = effect.cause.slice('ladder:'.length, effect.cause.lastIndexOf(':'));
    const level = Number(effect.cause.slice(effect.cause.lastIndexOf(':') + 1));
    let rungs = this.unitRungs.get(effect.unitId);
    if (rungs === undefined) this.unitRungs.set(effect.unitId, (rungs = new Map()));
    if (Number.isInteger(level) && level > (rungs.get(ladder) ?? 0)) rungs.set(ladder, level);
    const month = this.climbs[Math.max(0, this.#monthOf(effect.at))];
    if (month) month.set(ladder, (month.get(ladder) ?? 0) + 1);
  }

  /** The index of the month an instant falls in (-1 before the first, `months.length` from the end of the months). */
  #monthOf(at: number): number {
    if (at >= this.#monthsEnd) return this.#months.length;
    let index = -1;
    for (let i = 0; i < this.#months.length && (this.#months[i] as number) <= at; i++) index = i;
    return index;
  }
}

import type { CampaignPlan, Engine, Light, LightCounts } from '@luoshi/engine';
import { itemsByLight } from './item-flow.js';

/** The lights of one month end (月末亮灯): units and their tasks counted by colour. */
export interface LightMonth {
  /** `YYYY-MM` in the campaign's zone: the month that ends. */
  readonly month: string;
  /** When it ends (ISO 8601, UTC): the next month's start, or the end of the run for the last. */
  readonly at: string;
  /** Units (the office included: it has tasks of its own) by their light. */
  readonly units: LightCounts;
  /** Their tasks by light. */
  readonly tasks: LightCounts;
  /**
   * 督办事项 — in a campaign with `items`: the items by light (those with one: a target, or a due day
   * in a campaign with lights), whatever their unit.
   */
  readonly items?: LightCounts;
}

/** 红黄绿灯 over a run: the counts at each month end and the three-colour board (三色图). */
export interface LightsResult {
  /** One entry per month of the run, in time order. */
  readonly months: readonly LightMonth[];
  /** 三色图 — unit id → its light at each month end, in the order of `months`. */
  readonly board: Readonly<Record<string, readonly Light[]>>;
}

/**
 * 月末亮灯 — samples the lights of a run at every month end, for a campaign that declares `lights`
 * or `items` (an item with a target is lit against its plan even without `lights`):
 * a month ends when the next begins (its first instant's events done first, as a day's deadline
 * falls due at midnight: a task due on the 31st is red at the end of its month), the last at the
 * end of the run. The simulator and a live rehearsal that replays its events sample alike.
 */
export class LightBoard {
  readonly #plan: CampaignPlan;
  /** The month ends still to sample, and the month each ends. */
  readonly #ends: readonly number[];
  readonly #labels: readonly string[];
  readonly #months: LightMonth[] = [];
  readonly #board = new Map<string, Light[]>();

  /** `monthStarts`: the campaign start and every later month start before `end`, as the simulator samples phases. */
  constructor(plan: CampaignPlan, monthStarts: readonly number[], end: number) {
    this.#plan = plan;
    this.#ends = [...monthStarts.slice(1), end];
    this.#labels = monthStarts.map((at) => plan.calendar.dateTime(at).toFormat('yyyy-MM'));
  }

  /** Whether the next month end lies before `t` (so it is sampled before anything at `t` happens). */
  dueBefore(t: number): boolean {
    return this.#lit() && this.#months.length < this.#ends.length && (this.#ends[this.#months.length] as number) < t;
  }

  /**
   * Samples the next month end: each instance's light, its tasks' counted, and the campaign's items by
   * light. The campaign's id is the run's, never taken for granted: a campaign continued from a
   * database (`simulate --from`) has its own, and its items were asked of a campaign "sim" it is not.
   */
  async sample(engine: Pick<Engine, 'state' | 'items'>, instanceIds: readonly string[], campaignId: string): Promise<void> {
    const i = this.#months.length;
    const units = { green: 0, yellow: 0, red: 0, blue: 0 };
    const tasks = { green: 0, yellow: 0, red: 0, blue: 0 };
    for (const id of instanceIds) {
      const state = await engine.state(id);
      if (state.light === undefined) continue;
      units[state.light]++;
      for (const light of ['green', 'yellow', 'red', 'blue'] as const) tasks[light] += state.lights?.[light] ?? 0;
      let row = this.#board.get(state.unitId);
      if (row === undefined) this.#board.set(state.unitId, (row = []));
      row.push(state.light);
    }
    const month = { month: this.#labels[i] as string, at: new Date(this.#ends[i] as number).toISOString(), units, tasks };
    this.#months.push(this.#plan.trackedKinds ? { ...month, items: itemsByLight(await engine.items(campaignId)) } : month);
  }

  /** The samples taken, or undefined for a campaign without lights or items. */
  result(): LightsResult | undefined {
    if (!this.#lit()) return undefined;
    return { months: this.#months, board: Object.fromEntries([...this.#board].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  }

  #lit(): boolean {
    return this.#plan.lights !== undefined || this.#plan.trackedKinds !== undefined;
  }
}

/*
 * 定时器键 — what a durable timer is for. A timer row holds its instance id, a text key and its due
 * time; the key names the timer's kind and the record it is for, as `<kind>:<id>`. These strings are
 * stored (in timer rows and in the `timer.fired` events of every history since release 7967bde), so
 * their text never changes: this module is the only place that writes or reads them.
 */

/**
 * A timer's key, by kind:
 * - `due` — a task's deadline (期限): `task` is its task key (`item`, `item#n`, `item@member`…);
 * - `remind` — a task's reminder (提醒), the same task key;
 * - `phase` — the end of a phase's window (阶段截止), the phase id;
 * - `opens` — the start of the window of a phase entered before it (阶段时段开始), the phase id;
 * - `recur` — the next occurrence of a recurring duty (周期性任务), the item id;
 * - `rectify` — a rectification deadline (限期整改), the inspection key (`inspection[@member]`);
 * - `ranking` — a campaign-wide ranking (排名评比), the ranking id and which of its dates
 *   (`occurrence`, 0 for the first: a ranking `at: 年底` of a campaign over three years has three);
 *   its timer belongs to the campaign, not to one unit's instance (see `isCampaignTimer`). The first
 *   is `ranking:<id>`, as release 7967bde wrote it; a later one `ranking#<n>:<id>`;
 * - `grading` — a dated grading (等次评定), campaign-wide like a ranking: `grading:<id>` for its first
 *   date, `grading#<n>:<id>` for a later one;
 * - `lapse` — the start of campaign period `period` (活动年度), when the flags an instance set in
 *   the period before, and that last a year, lapse (`lapse:<n>`);
 * - `yellow` — when an open task turns yellow (亮黄灯, `lights.ts`), its task key;
 * - `urge` — a task's next urging notice (催办, `urging.ts`), its task key;
 * - `item-yellow` — when an item lit by its due day turns yellow (督办事项黄牌, `item-cards.ts`), the item id;
 * - `item-due` — an item's due (督办事项逾期, 红灯), the item id;
 * - `month-cards` — the next month's turn when the instance's items are carded every month (按月亮牌,
 *   `monthly-cards.ts`): one timer, `month-cards:turn`, moved on to the next turn once one has passed;
 * - `close` — the campaign's end for an instance whose phases are over while work due after them is
 *   still open (收尾, `wrap-up.ts`): it closes then (`close:end`).
 */
export type TimerKey =
  | { readonly kind: 'due'; readonly task: string }
  | { readonly kind: 'remind'; readonly task: string }
  | { readonly kind: 'phase'; readonly phase: string }
  | { readonly kind: 'opens'; readonly phase: string }
  | { readonly kind: 'recur'; readonly item: string }
  | { readonly kind: 'rectify'; readonly inspection: string }
  | { readonly kind: 'ranking'; readonly ranking: string; readonly occurrence?: number }
  | { readonly kind: 'grading'; readonly grading: string; readonly occurrence?: number }
  | { readonly kind: 'lapse'; readonly period: number }
  | { readonly kind: 'yellow'; readonly task: string }
  | { readonly kind: 'urge'; readonly task: string }
  | { readonly kind: 'item-yellow'; readonly item: string }
  | { readonly kind: 'item-due'; readonly item: string }
  | { readonly kind: 'month-cards' }
  | { readonly kind: 'close' };

/** The kinds of timer. */
export type TimerKind = TimerKey['kind'];

/**
 * The stored text of a timer key: `<kind>:<id>`. A template with a constant prefix per kind, no
 * look-up: this runs for every timer written. (The engine keeps the keys of a plan's tasks once made,
 * so the hottest callers meet the same strings again.)
 */
export function formatTimerKey(key: TimerKey): string {
  switch (key.kind) {
    case 'due':
      return `due:${key.task}`;
    case 'remind':
      return `remind:${key.task}`;
    case 'phase':
      return `phase:${key.phase}`;
    case 'opens':
      return `opens:${key.phase}`;
    case 'recur':
      return `recur:${key.item}`;
    case 'rectify':
      return `rectify:${key.inspection}`;
    case 'ranking':
      return key.occurrence ? `ranking#${key.occurrence}:${key.ranking}` : `ranking:${key.ranking}`;
    case 'grading':
      return key.occurrence ? `grading#${key.occurrence}:${key.grading}` : `grading:${key.grading}`;
    case 'lapse':
      return `lapse:${key.period}`;
    case 'yellow':
      return `yellow:${key.task}`;
    case 'urge':
      return `urge:${key.task}`;
    case 'item-yellow':
      return `item-yellow:${key.item}`;
    case 'item-due':
      return `item-due:${key.item}`;
    case 'month-cards':
      return 'month-cards:turn';
    case 'close':
      return 'close:end';
  }
}

/**
 * A stored timer key read back, or undefined for text that is not one: no colon, a kind this engine
 * does not know, or an empty id (no task, phase, item, inspection or ranking has one, so such a timer
 * could not find its record anyway). The kind ends at the FIRST colon and the id is everything after
 * it, colons included, as the engine has always read them. Never throws; compares the kind with
 * constants (no object is indexed by it, so `__proto__` is just an unknown kind).
 */
export function parseTimerKey(text: string): TimerKey | undefined {
  const colon = text.indexOf(':');
  if (colon < 0 || colon === text.length - 1) return undefined;
  const id = text.slice(colon + 1);
  switch (text.slice(0, colon)) {
    case 'due':
      return { kind: 'due', task: id };
    case 'remind':
      return { kind: 'remind', task: id };
    case 'phase':
      return { kind: 'phase', phase: id };
    case 'opens':
      return { kind: 'opens', phase: id };
    case 'recur':
      return { kind: 'recur', item: id };
    case 'rectify':
      return { kind: 'rectify', inspection: id };
    case 'ranking':
      return { kind: 'ranking', ranking: id };
    case 'grading':
      return { kind: 'grading', grading: id };
    case 'lapse':
      return /^[1-9]\d{0,5}$/.test(id) ? { kind: 'lapse', period: Number(id) } : undefined;
    case 'yellow':
      return { kind: 'yellow', task: id };
    case 'urge':
      return { kind: 'urge', task: id };
    case 'item-yellow':
      return { kind: 'item-yellow', item: id };
    case 'item-due':
      return { kind: 'item-due', item: id };
    case 'month-cards':
      return id === 'turn' ? { kind: 'month-cards' } : undefined;
    case 'close':
      return id === 'end' ? { kind: 'close' } : undefined;
    default: {
      // A later date of a ranking: `ranking#<n>:<id>`, n a positive integer written plainly.
      const later = /^(ranking|grading)#([1-9]\d{0,5})$/.exec(text.slice(0, colon));
      if (!later) return undefined;
      const occurrence = Number(later[2]);
      return later[1] === 'ranking' ? { kind: 'ranking', ranking: id, occurrence } : { kind: 'grading', grading: id, occurrence };
    }
  }
}

/**
 * The campaign a timer belongs to (所属专项行动): its instance id up to the first `/` (an instance id
 * is `${campaignId}/${unitId}`, and campaign ids have no `/`), or the whole id for a campaign-wide
 * timer. A timer is related to the timers of its campaign: a store claims one only when no related
 * timer sorts before it (the claim rule in `ports/store.ts`).
 */
export function timerCampaign(instanceId: string): string {
  const slash = instanceId.indexOf('/');
  return slash < 0 ? instanceId : instanceId.slice(0, slash);
}

/**
 * Whether a timer is campaign-wide (a ranking's, 排名, or a dated grading's, 等次评定) rather than one unit instance's: it is owned
 * by the campaign id itself, which has no `/`.
 */
export function isCampaignTimer(instanceId: string): boolean {
  return !instanceId.includes('/');
}

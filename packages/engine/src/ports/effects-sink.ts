/**
 * An effect the host must carry out: a notice, a reminder, an admonition talk (诫勉谈话), a public
 * criticism (通报批评), a job transfer (交流换岗), a commendation (表彰), a formal questioning (质询).
 */
export interface Effect {
  /** Stable id: the same effect delivered twice has the same id, so hosts can deduplicate. */
  readonly id: string;
  readonly campaignId: string;
  readonly instanceId: string;
  readonly unitId: string;
  /** The member concerned, for per-person effects. */
  readonly memberId?: string;
  /** The action id of the process file (通报批评), or undefined for built-in reminders. */
  readonly action?: string;
  /** 执行者 — the role that carries the action out (the action's `by` in the process file), when it names one. */
  readonly by?: string;
  /** The kind of effect, for routing: notify, remind, admonish, criticise, transfer, commend, question, disqualify, publicise. */
  readonly effect: string;
  readonly title: string;
  /** What caused it: `ladder:举报投诉查实:2`, `overdue:报送方案`, `ranking:十佳单位评选:top`… */
  readonly cause: string;
  /** The logical time of the event that caused it (ms since epoch). */
  readonly at: number;
}

/**
 * The host side of effects. Delivery is at least once: `deliver` may see the same effect again
 * after a crash, with the same id. Throwing leaves the effect in the outbox for a later attempt.
 * The effect may be frozen (on a store in memory it is the very object the engine made): copy it
 * before changing it.
 */
export interface EffectsSink {
  deliver(effect: Effect): Promise<void> | void;
}

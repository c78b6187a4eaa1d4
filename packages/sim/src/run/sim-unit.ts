/** What one simulated run is made of: its units (模拟单位), the events it plans, the engine it drives. */
import { type CampaignPlan, type Engine, type HostEvent } from '@luoshi/engine';
import type { Behaviour } from '../model/scenario.js';
import type { PlannedRequest } from '../extension-flow.js';


/** An inspection loop of the plan (the engine exports the plan, not this part's name). */
export type InspectionPlan = CampaignPlan['inspections'] extends ReadonlyMap<string, infer I> ? I : never;

export const DAY = 86_400_000;
export const MONTH = 30.4375 * DAY;
/** The campaign id every simulated run uses, e.g. to read a run kept in a caller's store. */
export const SIMULATION_CAMPAIGN_ID = 'sim';
export const CAMPAIGN_ID = SIMULATION_CAMPAIGN_ID;

/** A host event a run applied: to which instance, and when. */
export interface SentEvent {
  readonly instanceId: string;
  readonly event: HostEvent;
  readonly at: number;
}

/**
 * What a run drives: the in-process driver (默认: states in memory, nothing durable) or, when the
 * caller hands over a store, the durable engine on it, so the live commands can read the run after.
 */
export type Driver = Pick<Engine, 'deploy' | 'startCampaign' | 'send' | 'closeCampaign' | 'runDueTimers' | 'nextTimerAt' | 'deliverEffects' | 'subscribe' | 'state' | 'tasks' | 'rollup' | 'outcomes' | 'flagsHeld' | 'standings' | 'items' | 'unitOutcomes' | 'close'>;

/** A unit of the simulated organisation with what the simulator needs of it. */
export interface SimUnit {
  readonly id: string;
  readonly instanceId: string;
  readonly members: readonly string[];
  readonly behaviour: Behaviour;
  readonly office: boolean;
}

/** A host event the simulator has planned. */
export type Planned =
  /** `background`: what goes on whatever the unit does (complaints, notices, items), sent only while it is at work. */
  | { readonly kind: 'send'; readonly unit: SimUnit; readonly event: HostEvent; readonly background?: boolean }
  | { readonly kind: 'decide'; readonly unit: SimUnit; readonly phase: string; readonly event: HostEvent }
  /** `own`: found by this inspection only (its own rate, or its occurrence), never by another loop the unit is under instead. */
  | { readonly kind: 'finding'; readonly unit: SimUnit; readonly inspection: InspectionPlan; readonly member?: string; readonly own?: boolean }
  | { readonly kind: 'rectify'; readonly unit: SimUnit; readonly inspection: InspectionPlan; readonly member: string | undefined; readonly passes: boolean }
  | { readonly kind: 'reinspect'; readonly unit: SimUnit; readonly inspection: InspectionPlan; readonly member: string | undefined; readonly passed: boolean }
  /** 申请延期: the request, then (if still to decide) the office's answer. */
  | { readonly kind: 'extend'; readonly unit: SimUnit; readonly request: PlannedRequest }
  | { readonly kind: 'extend-decide'; readonly unit: SimUnit; readonly event: HostEvent }
  /** 月度调度: every item's progress report at a month's start (no one unit's). */
  | { readonly kind: 'item-reports' };

/**
 * A host event with its member set when there is one. Assigned, not spread in: V8 gives a literal
 * with a conditional spread a layout of its own every time, and a year plans an event per task.
 */
export function withMember<E extends HostEvent>(event: E, member: string | undefined): E {
  if (member !== undefined) (event as { member?: string }).member = member;
  return event;
}

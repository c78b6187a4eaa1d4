import { parseCondition, parseDurationSpec, type Outcome, type TrafficLights } from '@luoshi/dsl';
import { EngineError } from '../errors/engine-error.js';
import type { BandPlan, ConditionPlan, LightsPlan, OutcomePlan } from './campaign-plan.js';

/*
 * The plans of a campaign's rules as the compiler makes them from the file: conditions parsed,
 * outcomes, ranking bands, traffic lights; and the error of a definition validation should have
 * refused (ENGINE_INVALID_DEFINITION).
 */

export function condition(text: string): ConditionPlan {
  const parsed = parseCondition(text);
  if ('problem' in parsed) throw invalid(`condition "${text}": ${parsed.problem.detail}`);
  return { text, node: parsed.node };
}

export function outcome(o: Outcome): OutcomePlan {
  return {
    ...(o.when ? { when: condition(o.when) } : {}),
    actions: o.actions ?? [],
    flags: o.flags ?? [],
    ...(o.ladder ? { ladder: o.ladder } : {}),
  };
}

export function band(b: { count: number; when?: string; actions?: string[]; flags?: string[] }): BandPlan {
  return { count: b.count, ...(b.when ? { when: condition(b.when) } : {}), actions: b.actions ?? [], flags: b.flags ?? [] };
}

export function invalid(detail: string): EngineError {
  return new EngineError('ENGINE_INVALID_DEFINITION', { detail });
}

/** 红黄绿灯 — a campaign's lights as the runtime reads them (lengths parsed; the validator refused bad ones). */
export function lightsPlan(lights: TrafficLights): LightsPlan {
  const duration = (text: string) => {
    const spec = parseDurationSpec(text);
    if (!spec) throw invalid(`duration "${text}"`);
    return spec;
  };
  const { urge } = lights;
  return {
    yellowBefore: duration(lights.yellowBefore),
    blue: lights.blue === true,
    ...(urge
      ? { urge: { from: urge.from ?? 'yellow', every: duration(urge.every), times: urge.times, ...(urge.action !== undefined ? { action: urge.action } : {}) } }
      : {}),
  };
}

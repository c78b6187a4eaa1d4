import { toPointer, type ParsedFile } from '@luoshi/dsl';
import { Ajv, type ErrorObject } from 'ajv';
import { scenarioDiagnostic, type ScenarioDiagnostic } from '../errors/scenario-diagnostic.js';
import type { Behaviour, BehaviourOverride, Distribution, ScenarioFile } from '../model/scenario.js';
import { scenarioSchema } from './scenario-schema.js';

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
const validateShape = ajv.compile(scenarioSchema);

const TYPE_ZH: Record<string, string> = {
  string: '文字',
  number: '数字',
  integer: '整数',
  boolean: 'true 或 false',
  object: '键值块',
  array: '列表',
  null: '空值',
};

/** Checks a parsed scenario against the JSON Schema; every problem at its line and column. */
export function checkScenarioShape(parsed: ParsedFile): ScenarioDiagnostic[] {
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'a list' : value === undefined || value === null ? 'an empty document' : JSON.stringify(value);
    return [scenarioDiagnostic('SIM_NOT_A_MAPPING', parsed.spanAt(''), { found })];
  }
  if (validateShape(value)) return [];
  const seen = new Set<string>();
  const out: ScenarioDiagnostic[] = [];
  for (const error of validateShape.errors ?? []) {
    const d = toDiagnostic(parsed, error);
    const key = `${d.code}|${d.pointer}|${d.message.en}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function toDiagnostic(parsed: ParsedFile, error: ErrorObject): ScenarioDiagnostic {
  const pointer = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const property = String((error.params as { missingProperty: string }).missingProperty);
      return scenarioDiagnostic('SIM_SCHEMA_MISSING', parsed.spanAt(pointer), { property });
    }
    case 'additionalProperties': {
      const property = String((error.params as { additionalProperty: string }).additionalProperty);
      const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      return scenarioDiagnostic('SIM_SCHEMA_UNKNOWN_KEY', parsed.spanAt(`${pointer}${toPointer([property])}`, { key: true }), {
        property,
        allowed: Object.keys(properties).join(', '),
      });
    }
    case 'type': {
      const expected = String((error.params as { type: string }).type);
      const expectedZh = expected.split(',').map((t) => TYPE_ZH[t] ?? t).join('或');
      return scenarioDiagnostic('SIM_SCHEMA_TYPE', parsed.spanAt(pointer), { expected, expectedZh });
    }
    case 'enum':
    case 'const': {
      const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      const allowed = params.allowedValues ?? [params.allowedValue];
      return scenarioDiagnostic('SIM_SCHEMA_ENUM', parsed.spanAt(pointer), {
        value: JSON.stringify(error.data),
        allowed: allowed.map((v) => String(v)).join(', '),
      });
    }
    default:
      return scenarioDiagnostic('SIM_SCHEMA_INVALID', parsed.spanAt(pointer), { detail: error.message ?? error.keyword });
  }
}

/**
 * Checks what the schema cannot say: one organisation source, the fields each distribution kind
 * needs, probabilities that add up to at most 1, behaviour kinds that exist. `kinds` lists the unit
 * kinds of the organisation when it comes from a file.
 */
export function checkScenarioMeaning(parsed: ParsedFile, scenario: ScenarioFile, fileKinds?: readonly string[]): ScenarioDiagnostic[] {
  const out: ScenarioDiagnostic[] = [];
  if ((scenario.organisation === undefined) === (scenario.organisationFile === undefined)) {
    out.push(scenarioDiagnostic('SIM_ORGANISATION_CHOICE', parsed.spanAt(scenario.organisation ? '/organisation' : ''), {}));
  }
  const generated = scenario.organisation;
  const seenKinds = new Set<string>();
  (generated?.kinds ?? []).forEach((kind, i) => {
    if (seenKinds.has(kind.id)) out.push(scenarioDiagnostic('SIM_DUPLICATE_KIND', parsed.spanAt(`/organisation/kinds/${i}/id`), { kind: kind.id }));
    seenKinds.add(kind.id);
  });
  const known = new Set<string>(['office']);
  if (generated) {
    if (generated.kinds && generated.kinds.length > 0) for (const k of generated.kinds) known.add(k.id);
    else known.add('unit');
    if (generated.nesting) known.add(generated.nesting.kind ?? 'group');
  }
  for (const k of fileKinds ?? []) known.add(k);
  checkBehaviour(parsed, '/behaviour/default', scenario.behaviour.default, out);
  for (const [kind, override] of Object.entries(scenario.behaviour.kinds ?? {})) {
    const at = `/behaviour/kinds${toPointer([kind])}`;
    if ((generated || fileKinds) && !known.has(kind)) {
      out.push(scenarioDiagnostic('SIM_UNKNOWN_KIND', parsed.spanAt(at, { key: true }), { kind, known: [...known].join(', ') }));
    }
    checkBehaviour(parsed, at, override, out);
  }
  return out;
}

function checkBehaviour(parsed: ParsedFile, at: string, behaviour: Behaviour | BehaviourOverride, out: ScenarioDiagnostic[]): void {
  if (behaviour.tasks) checkDistribution(parsed, `${at}/tasks/delay`, behaviour.tasks.delay, out);
  if (behaviour.scores) {
    checkDistribution(parsed, `${at}/scores/default`, behaviour.scores.default, out);
    for (const [id, d] of Object.entries(behaviour.scores.evaluations ?? {})) {
      checkDistribution(parsed, `${at}/scores/evaluations${toPointer([id])}`, d, out);
    }
  }
  const r = behaviour.rectification;
  if (r) {
    const sum = r.onTime + r.late + r.failsReinspection;
    if (sum > 1 + 1e-9) out.push(scenarioDiagnostic('SIM_PROBABILITIES_OVER_ONE', parsed.spanAt(`${at}/rectification`), { sum: round(sum) }));
  }
}

const NEEDS: Record<Distribution['kind'], readonly (keyof Distribution)[]> = {
  normal: ['mean', 'sd'],
  uniform: ['min', 'max'],
  exponential: ['mean'],
  fixed: ['mean'],
};

function checkDistribution(parsed: ParsedFile, at: string, d: Distribution, out: ScenarioDiagnostic[]): void {
  for (const field of NEEDS[d.kind]) {
    if (d[field] === undefined) out.push(scenarioDiagnostic('SIM_DISTRIBUTION_FIELD', parsed.spanAt(at), { kind: d.kind, field }));
  }
  if (d.kind === 'uniform' && d.min !== undefined && d.max !== undefined && d.min > d.max) {
    out.push(scenarioDiagnostic('SIM_DISTRIBUTION_RANGE', parsed.spanAt(`${at}/min`), { min: d.min, max: d.max }));
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

import { schemaErrorDiagnostics, toPointer, type ParsedFile, type SchemaProblem } from '@luoshi/dsl';
import { Ajv } from 'ajv';
import { scenarioDiagnostic, type ScenarioDiagnostic } from '../errors/scenario-diagnostic.js';
import type { SimCode } from '../errors/sim-messages.js';
import type { Behaviour, BehaviourOverride, Distribution, ScenarioFile } from '../model/scenario.js';
import { scenarioSchema } from './scenario-schema.js';
import { SCENARIO_LIMITS } from './scenario-limits.js';

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
const validateShape = ajv.compile(scenarioSchema);

const CODES: Record<SchemaProblem, SimCode> = {
  missing: 'SIM_SCHEMA_MISSING',
  'unknown-key': 'SIM_SCHEMA_UNKNOWN_KEY',
  type: 'SIM_SCHEMA_TYPE',
  enum: 'SIM_SCHEMA_ENUM',
  invalid: 'SIM_SCHEMA_INVALID',
};

/** Checks a parsed scenario against the JSON Schema; every problem at its line and column. */
export function checkScenarioShape(parsed: ParsedFile): ScenarioDiagnostic[] {
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const found = Array.isArray(value) ? 'a list' : value === undefined || value === null ? 'an empty document' : JSON.stringify(value);
    return [scenarioDiagnostic('SIM_NOT_A_MAPPING', parsed.spanAt(''), { found })];
  }
  if (validateShape(value)) return [];
  return schemaErrorDiagnostics(parsed, validateShape.errors ?? [], (problem, span, params) => scenarioDiagnostic(CODES[problem], span, params));
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
  checkScenarioId(parsed, scenario.id, out);
  const generated = scenario.organisation;
  if (generated) checkOrganisationSize(parsed, generated, out);
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
  for (const [id, decision] of Object.entries(scenario.decisions ?? {})) {
    const at = `/decisions${toPointer([id])}`;
    const sum = Object.values(decision.options).reduce((a, b) => a + b, 0);
    if (sum > 1 + 1e-9) out.push(scenarioDiagnostic('SIM_DECISION_OVER_ONE', parsed.spanAt(`${at}/options`), { decision: id, sum: round(sum) }));
    checkDistribution(parsed, `${at}/delay`, decision.delay, out);
  }
  return out;
}

/**
 * The id names the scenario in the terminal, in CSV rows and workbook cells (XML 1.0 cannot hold
 * most control characters): the same rule as a unit's id, no control or invisible-format character.
 */
function checkScenarioId(parsed: ParsedFile, id: string, out: ScenarioDiagnostic[]): void {
  if (id.length >= 1 && id.length <= SCENARIO_LIMITS.idLength && !/[\p{Cc}\p{Cf}\p{Cs}]/u.test(id)) return;
  const cut = id.length > 60 ? `${id.slice(0, 57)}…` : id;
  // Shown with its invisible characters as \u escapes, since the diagnostic itself reaches a terminal.
  const shown = JSON.stringify(cut).replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
  out.push(scenarioDiagnostic('SIM_BAD_SCENARIO_ID', parsed.spanAt('/id'), { shown, max: SCENARIO_LIMITS.idLength }));
}

/**
 * A generated organisation is built in memory before the run: its people and units are counted
 * from the numbers first (units × membersPerUnit, intermediate units and their members).
 */
function checkOrganisationSize(parsed: ParsedFile, generated: NonNullable<ScenarioFile['organisation']>, out: ScenarioDiagnostic[]): void {
  const groups = generated.nesting?.groups ?? 0;
  const units = generated.units + groups + 1;
  const members = generated.units * generated.membersPerUnit + groups * (generated.nesting?.members ?? 0);
  if (units <= SCENARIO_LIMITS.units && members <= SCENARIO_LIMITS.members) return;
  out.push(
    scenarioDiagnostic('SIM_ORGANISATION_TOO_LARGE', parsed.spanAt('/organisation'), {
      members: String(members),
      units: String(units),
      maxMembers: SCENARIO_LIMITS.members,
      maxUnits: SCENARIO_LIMITS.units,
    }),
  );
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
  if (behaviour.notifications?.delay) checkDistribution(parsed, `${at}/notifications/delay`, behaviour.notifications.delay, out);
  const items = behaviour.items;
  for (const key of ['target', 'dueDays', 'progress'] as const) {
    const d = items?.[key];
    if (d) checkDistribution(parsed, `${at}/items/${key}`, d, out);
  }
  const labels = items?.labels;
  if (labels) {
    const sum = (labels.blue ?? 0) + (labels.green ?? 0) + (labels.yellow ?? 0) + (labels.red ?? 0);
    if (sum > 1 + 1e-9) out.push(scenarioDiagnostic('SIM_LABELS_OVER_ONE', parsed.spanAt(`${at}/items/labels`), { sum: round(sum) }));
  }
  if (behaviour.extensions) checkDistribution(parsed, `${at}/extensions/days`, behaviour.extensions.days, out);
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

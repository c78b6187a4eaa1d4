import { STANDING_HORIZON_YEARS, type ValidationResult } from '@luoshi/dsl';
import { CompiledCache, compilePlan, processBundle, type CampaignPlan, type OrganisationUnit } from '@luoshi/engine';
import { ownValue } from '../own-keys.js';
import { simError } from '../errors/sim-error.js';
import { checkUntil } from '../scenario/scenario-limits.js';
import type { ScenarioFile } from '../model/scenario.js';
import { generateOrganisation } from '../organisation/generate-organisation.js';
import { cmp } from '../stable-order.js';
import type { SimulateOptions } from '../simulate.js';
import { CAMPAIGN_ID, type SimUnit } from './sim-unit.js';
import { inspectionWrittenId } from './unit-status.js';

/**
 * The compiled campaigns of each set of definitions simulated: a Monte Carlo thread runs `simulate`
 * once per seed with the same definitions object, an engine each, and compiling the campaign again
 * for every run cost about 3% of a run. Keyed weakly: the cache goes with the definitions.
 */
const compiledByDefinitions = new WeakMap<ValidationResult, CompiledCache>();

/** The compiled campaigns shared by the runs of these definitions. */
export function compiledCacheOf(definitions: ValidationResult): CompiledCache {
  let cache = compiledByDefinitions.get(definitions);
  if (cache === undefined) {
    cache = new CompiledCache();
    compiledByDefinitions.set(definitions, cache);
  }
  return cache;
}

/** The checks that need no engine: where the run stops (SIM_BAD_UNTIL), the campaign, the scenario's process and decisions, the organisation. */
export function prepare(options: SimulateOptions): { readonly plan: CampaignPlan; readonly organisation: OrganisationUnit } {
  const { definitions, processId, scenario } = options;
  checkUntil(options.until);
  const campaign = definitions.campaigns.get(processId);
  if (!campaign) throw simError('SIM_PROCESS_NOT_FOUND', { process: processId });
  if (scenario.process !== undefined && scenario.process !== processId) {
    throw simError('SIM_PROCESS_MISMATCH', { process: processId, expected: scenario.process });
  }
  // The bundle the engine deploys: the plan the results are read against is the one it runs.
  const plan = compilePlan(processBundle(campaign, definitions.subprocesses), 1);
  checkDecisions(plan, scenario);
  checkBehaviourNeeded(plan, scenario);
  checkCohorts(plan, scenario);
  checkInspections(plan, scenario);
  const organisation = options.organisation ?? (scenario.organisation ? generateOrganisation(scenario.organisation) : undefined);
  if (!organisation) throw simError('SIM_ORGANISATION_CHOICE');
  return { plan, organisation };
}

/** Refuses a scenario that names a decision or option the campaign does not have: it would silently never be taken. */
export function checkDecisions(plan: CampaignPlan, scenario: ScenarioFile): void {
  const decisions = new Map(plan.phases.flatMap((p) => p.decisions.map((d) => [d.id, d] as const)));
  for (const [id, behaviour] of Object.entries(scenario.decisions ?? {}).sort(([a], [b]) => cmp(a, b))) {
    const decision = decisions.get(id);
    if (!decision) throw simError('SIM_UNKNOWN_DECISION', { process: plan.processId, decision: id, known: [...decisions.keys()].join(', ') || '-' });
    for (const option of Object.keys(behaviour.options)) {
      if (!decision.options.some((o) => o.id === option)) {
        throw simError('SIM_UNKNOWN_OPTION', { decision: id, option, known: decision.options.map((o) => o.id).join(', ') });
      }
    }
  }
}

/**
 * A scenario gives scores only for a campaign with evaluations, findings and rectification only for
 * one with inspections, complaints only for one whose rules count verified complaints: what the
 * campaign does not use is not asked for, and what it uses must be there.
 */
export function checkBehaviourNeeded(plan: CampaignPlan, scenario: ScenarioFile): void {
  const evaluations = [...plan.items.values()].filter((i) => i.kind === 'evaluation').map((i) => i.id);
  if (evaluations.length > 0 && !scenario.behaviour.default.scores)
    throw simError('SIM_BEHAVIOUR_NEEDED', { process: plan.processId, whatEn: 'evaluations', whatZh: '评价', ids: evaluations.slice(0, 5).join(', '), field: 'scores' });
  const inspections = [...plan.inspections.keys()];
  const given = scenario.behaviour.default;
  for (const field of ['findingsPerUnitPerMonth', 'rectification'] as const)
    // Rates per inspection (`findingsPerMonth`) stand for the shared one.
    if (inspections.length > 0 && given[field] === undefined && !(field === 'findingsPerUnitPerMonth' && given.findingsPerMonth !== undefined))
      throw simError('SIM_BEHAVIOUR_NEEDED', { process: plan.processId, whatEn: 'inspections', whatZh: '检查整改', ids: inspections.slice(0, 5).join(', '), field });
  const complaints = [...plan.ladders.values(), ...plan.consequences].filter((r) => r.on?.event === 'complaint-verified').map((r) => r.id);
  if (complaints.length > 0 && scenario.behaviour.default.complaintsPerMemberPerMonth === undefined)
    throw simError('SIM_BEHAVIOUR_NEEDED', {
      process: plan.processId,
      whatEn: 'rules on verified complaints',
      whatZh: '举报投诉查实的规则',
      ids: complaints.slice(0, 5).join(', '),
      field: 'complaintsPerMemberPerMonth',
    });
}

/** Refuses a cohort share the campaign does not declare: its units would not start (ENGINE_INVALID_ORGANISATION), said of the scenario. */
function checkCohorts(plan: CampaignPlan, scenario: ScenarioFile): void {
  for (const share of scenario.organisation?.cohorts ?? []) {
    if (!plan.cohorts.has(share.id)) throw simError('SIM_UNKNOWN_COHORT', { process: plan.processId, cohort: share.id, known: [...plan.cohorts.keys()].join(', ') || '-' });
  }
}

/** Refuses a finding rate for an inspection the campaign does not have: it would silently find nothing. */
function checkInspections(plan: CampaignPlan, scenario: ScenarioFile): void {
  const written = new Set([...plan.inspections.values()].map((i) => inspectionWrittenId(plan, i)));
  const kinds = [['default', scenario.behaviour.default] as const, ...Object.entries(scenario.behaviour.kinds ?? {}).sort(([a], [b]) => cmp(a, b))];
  for (const [kind, behaviour] of kinds) {
    for (const inspection of Object.keys(behaviour.findingsPerMonth ?? {}).sort(cmp)) {
      if (!written.has(inspection))
        throw simError('SIM_UNKNOWN_INSPECTION', { process: plan.processId, inspection, kind, known: [...written].sort(cmp).join(', ') || '-' });
    }
  }
}

/** Lists the units of the tree, parents first, each with its merged behaviour. */
export function placeUnits(root: OrganisationUnit, scenario: ScenarioFile, instanceOf: ReadonlyMap<string, string>): SimUnit[] {
  const out: SimUnit[] = [];
  const visit = (unit: OrganisationUnit, office: boolean): void => {
    const kind = unit.kind ?? (office ? 'office' : 'unit');
    out.push({
      id: unit.id,
      instanceId: instanceOf.get(unit.id) ?? `${CAMPAIGN_ID}/${unit.id}`,
      members: (unit.members ?? []).map((m) => m.id),
      behaviour: { ...scenario.behaviour.default, ...ownValue(scenario.behaviour.kinds, kind) },
      office,
    });
    for (const child of unit.units ?? []) visit(child, false);
  };
  visit(root, true);
  return out;
}

export function countUnits(unit: OrganisationUnit): number {
  return 1 + (unit.units ?? []).reduce((n, u) => n + countUnits(u), 0);
}

/** A standing mechanism (长效机制) simulated without `years`: this many. */
const STANDING_DEFAULT_YEARS = 3;

/**
 * Where the run ends: `years` after the start (never past the campaign's end), else the campaign's
 * end, or for a standing mechanism, which has none, STANDING_DEFAULT_YEARS after its start.
 * Throws SIM_BAD_YEARS for a count that is not a whole number from 1 to STANDING_HORIZON_YEARS.
 */
export function simulatedEnd(plan: CampaignPlan, years: number | undefined): number {
  if (years !== undefined && (!Number.isInteger(years) || years < 1 || years > STANDING_HORIZON_YEARS))
    throw simError('SIM_BAD_YEARS', { years: String(years), max: STANDING_HORIZON_YEARS });
  const count = years ?? (plan.standing ? STANDING_DEFAULT_YEARS : undefined);
  if (count === undefined) return plan.end;
  return Math.min(plan.end, plan.calendar.dateTime(plan.start).plus({ years: count }).toMillis());
}

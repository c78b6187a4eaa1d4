import { holidayCalendarCovers } from '../calendar/holiday-coverage.js';
import { DEFAULT_TIMEZONE, isKnownTimezone } from '../calendar/resolve-date.js';
import type { Diagnostic } from '../errors/diagnostic.js';
import type { CampaignDefinition, SubProcessDefinition } from '../model/process.js';
import { toPointer, type ParsedFile } from '../source/parsed-file.js';
import { nameList, shorten } from './input-checks.js';
import { SubProcessGraph } from './subprocess-graph.js';
import { checkDue } from './calendar-checks.js';
import { checkCondition, checkConditionSyntax } from './condition-check.js';
import { checkCohorts, checkPhaseFlow, phaseWindows } from './phase-checks.js';
import { checkCycles } from './cycle-checks.js';
import { checkGrading } from './grading-check.js';
import { checkDeduction, checkExtensions, checkLights } from './lights-check.js';
import { checkItemEventSubjects, checkTrackedItems } from './items-check.js';
import { checkRanking } from './ranking-check.js';
import { REFERENCE_NAMES, SemanticContext, type LocatedSubProcess, type Place } from './semantic-context.js';
import { checkExpansion, checkSubProcess, walkStage } from './stage-walk.js';
import { CAMPAIGN_SCOPE, repeatedSubprocesses } from '../uses/use-namespace.js';

export type { LocatedSubProcess } from './semantic-context.js';

/*
 * The semantic layer of validation: references, reachability, calendar sanity, ladders, rankings
 * and conditions. Runs only on files the schema accepted, so shapes can be trusted here. A first
 * pass walks the campaign and the sub-processes it uses, declaring names; a second resolves what
 * may be declared after it is used (references, dues counted from a task, conditions).
 */

function checkCampaign(cx: SemanticContext, parsed: ParsedFile, campaign: CampaignDefinition): void {
  const root: Place = { parsed, pointer: '' };
  cx.identifier(campaign.id, cx.at(root, 'id'));
  checkExpansion(cx, parsed, campaign.phases.map((phase, i) => ({ body: phase, pointer: toPointer(['phases', i]) })));
  const zone = campaign.timezone ?? DEFAULT_TIMEZONE;
  if (!isKnownTimezone(zone)) {
    cx.report('DSL_UNKNOWN_TIMEZONE', 'error', cx.at(root, 'timezone'), { zone });
  }
  cx.frame = { year: campaign.year, zone: isKnownTimezone(zone) ? zone : DEFAULT_TIMEZONE };
  cx.repeated = repeatedSubprocesses(campaign.phases, new Map([...cx.library].map(([id, l]) => [id, l.definition])));
  cx.declareVocabulary('role', campaign.roles, root, 'roles');
  cx.declareVocabulary('flag', campaign.flags, root, 'flags');
  cx.declareVocabulary('action', campaign.actions, root, 'actions');

  const windows = phaseWindows(cx, campaign, root);
  for (const frame of windows) if (frame) cx.phaseStarts.set(frame.id, frame.start);
  checkPhaseFlow(cx, campaign, root);
  checkCycles(cx, campaign, root, windows, new Map([...cx.library].map(([id, l]) => [id, l.definition])));
  campaign.phases.forEach((phase, index) => {
    const place = cx.at(root, 'phases', index);
    cx.declareWork(phase.id, place);
    cx.phases.set(phase.id, place);
    walkStage(cx, phase, place, windows[index], [], CAMPAIGN_SCOPE);
    (phase.decisions ?? []).forEach((decision, d) => {
      const decisionPlace = cx.at(place, 'decisions', d);
      cx.declareWork(decision.id, decisionPlace);
      cx.ids.decision.add(decision.id);
      for (const option of decision.options) cx.ids.option.add(option.id);
      cx.refer('role', decision.by, cx.at(decisionPlace, 'by'));
    });
  });
  // Campaign-level duties run across every phase: bounded by the campaign, not by a window.
  if (campaign.recurring) walkStage(cx, { recurring: campaign.recurring }, root, undefined, [], CAMPAIGN_SCOPE);
  (campaign.ladders ?? []).forEach((ladder, index) => {
    const place = cx.at(root, 'ladders', index);
    cx.declareWork(ladder.id, place);
    cx.ladders.set(ladder.id, place);
    cx.trigger(ladder.on, cx.at(place, 'on'));
    const levels = ladder.rungs.map((r) => r.level);
    if (levels.some((level, i) => level !== i + 1)) {
      cx.report('DSL_LADDER_RUNGS', 'error', cx.at(place, 'rungs'), { id: ladder.id, found: levels.join(', ') });
    }
    ladder.rungs.forEach((rung, r) => cx.outcome(rung, cx.at(place, 'rungs', r)));
  });
  (campaign.consequences ?? []).forEach((consequence, index) => {
    const place = cx.at(root, 'consequences', index);
    cx.declareWork(consequence.id, place);
    cx.trigger(consequence.on, cx.at(place, 'on'));
    cx.outcome(consequence, place);
    checkDeduction(cx, consequence.deduct, place);
  });
  checkLights(cx, campaign, root);
  checkExtensions(cx, campaign, root);
  checkTrackedItems(cx, campaign, root);
  checkItemEventSubjects(cx, campaign, root);
  (campaign.rankings ?? []).forEach((ranking, index) => {
    const place = cx.at(root, 'rankings', index);
    cx.declareWork(ranking.id, place);
    cx.rankings.set(ranking.id, place);
    checkRanking(cx, campaign, ranking, place);
  });
  (campaign.grades ?? []).forEach((grading, index) => {
    const place = cx.at(root, 'grades', index);
    cx.declareWork(grading.id, place);
    checkGrading(cx, grading, place);
  });
  checkCohorts(cx, campaign, root);
  resolvePending(cx);
  if (cx.usesWorkingDays && !holidayCalendarCovers(campaign.year) && !campaign.holidays?.holidays?.length) {
    cx.report('DSL_CALENDAR_NOT_COVERED', 'warning', cx.at(root, 'year'), { year: campaign.year });
  }
}

function resolvePending(cx: SemanticContext): void {
  for (const ref of cx.references) {
    if (cx.known(ref.kind, ref.id)) continue;
    const names = REFERENCE_NAMES[ref.kind];
    const known = nameList(cx.table(ref.kind).keys());
    const hint = known.length > 0 ? ` (${known})` : '';
    cx.report('DSL_UNKNOWN_REFERENCE', 'error', ref.place, { kindEn: names.en, kindZh: names.zh, id: shorten(ref.id), hint }, ref.key);
  }
  for (const pending of cx.dues) checkDue(cx, pending);
  for (const { text, place, spot } of cx.conditions) checkCondition(cx, text, place, spot);
}

/** Runs the semantic checks of a campaign, resolving its sub-processes from the library. */
export function checkCampaignSemantics(
  parsed: ParsedFile,
  campaign: CampaignDefinition,
  library: ReadonlyMap<string, LocatedSubProcess>,
  graph: SubProcessGraph = graphOf(library),
): Diagnostic[] {
  const cx = new SemanticContext(library, graph);
  checkCampaign(cx, parsed, campaign);
  return dedupe(cx.finish({ parsed, pointer: '' }));
}

/**
 * Checks a sub-process on its own: ids, dates, durations, recurrences, the syntax of its
 * conditions, and whether the sub-processes it uses exist and stay within the depth and size
 * limits. Its references to roles, flags and actions are checked where a campaign uses it, since
 * a sub-process may rely on the campaign's vocabulary; the sub-processes it uses are checked in
 * their own files (walking them here too made a chain of n sub-processes cost n²).
 */
export function checkSubProcessSemantics(
  parsed: ParsedFile,
  sub: SubProcessDefinition,
  library: ReadonlyMap<string, LocatedSubProcess>,
  graph: SubProcessGraph = graphOf(library),
): Diagnostic[] {
  const cx = new SemanticContext(library, graph);
  checkSubProcess(cx, parsed, sub);
  checkConditionSyntax(cx);
  return dedupe(cx.finish({ parsed, pointer: '' }));
}

/** The use graph of a library of sub-processes. */
export function graphOf(library: ReadonlyMap<string, LocatedSubProcess>): SubProcessGraph {
  return new SubProcessGraph(new Map([...library].map(([id, l]) => [id, { parsed: l.parsed, body: l.definition }])));
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.file}|${d.pointer}|${d.message.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

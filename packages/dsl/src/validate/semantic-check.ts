import type { DateTime } from 'luxon';
import { parseDateSpec } from '../calendar/date-spec.js';
import { parseDueSpec } from '../calendar/due-spec.js';
import { parseDurationSpec, type DurationSpec } from '../calendar/duration-spec.js';
import { holidayCalendarCovers } from '../calendar/holiday-coverage.js';
import { parseRecurrenceSpec, recurrenceProblemText } from '../calendar/recurrence-spec.js';
import {
  DEFAULT_TIMEZONE,
  earliestEnd,
  isKnownTimezone,
  isoDay,
  resolveDate,
  type CalendarFrame,
} from '../calendar/resolve-date.js';
import { parseWindowSpec } from '../calendar/window-spec.js';
import { diagnostic, type Diagnostic, type Severity } from '../errors/diagnostic.js';
import type { DslCode } from '../errors/dsl-messages.js';
import { conditionNames, parseCondition, type ConditionProblem } from '../expression/condition.js';
import type { CampaignDefinition, SubProcessDefinition } from '../model/process.js';
import type { Ranking } from '../model/rules.js';
import type { StageBody } from '../model/stage.js';
import type { Outcome, ScoreScale, WorkItem } from '../model/work.js';
import { toPointer, type ParsedFile } from '../source/parsed-file.js';
import { DSL_LIMITS, STANDING_HORIZON_YEARS } from '../limits.js';
import { calendarTextProblem, durationProblem, idProblem, nameList, shorten, type InputProblem } from './input-checks.js';
import { COUNT_CEILING, directContents, SubProcessGraph, type UseSite } from './subprocess-graph.js';
import { eventFieldsAt, fieldLiterals, rankAt, spotName, SUBJECT_FIELDS, takesHostFields, type ConditionSpot, type IdKind } from './condition-names.js';
import type { Trigger } from '../model/vocabulary.js';

/** A sub-process definition together with the file it came from. */
export interface LocatedSubProcess {
  readonly parsed: ParsedFile;
  readonly definition: SubProcessDefinition;
}

/** Where something was written: its file and JSON Pointer. */
interface Place {
  readonly parsed: ParsedFile;
  readonly pointer: string;
}

type ReferenceKind = 'role' | 'flag' | 'action' | 'ladder' | 'phase' | 'evaluation' | 'anchor';

const REFERENCE_NAMES: Record<ReferenceKind, { en: string; zh: string }> = {
  role: { en: 'role', zh: '角色' },
  flag: { en: 'flag', zh: '标记' },
  action: { en: 'action', zh: '措施' },
  ladder: { en: 'ladder', zh: '问责阶梯' },
  phase: { en: 'phase', zh: '阶段' },
  evaluation: { en: 'evaluation', zh: '评价' },
  anchor: { en: 'phase or task to count from', zh: '起算的阶段或任务' },
};

interface PhaseFrame {
  readonly id: string;
  readonly start?: DateTime;
  readonly end?: DateTime;
}

interface PendingDue {
  readonly text: string;
  readonly place: Place;
  readonly phase: PhaseFrame | undefined;
}

/**
 * The semantic layer of validation: references, reachability, calendar sanity, ladders, rankings
 * and conditions. Runs only on files the schema accepted, so shapes can be trusted here.
 */
class SemanticChecker {
  readonly diagnostics: Diagnostic[] = [];
  readonly #workIds = new Map<string, Place>();
  readonly #vocabulary: Record<'role' | 'flag' | 'action', Map<string, Place>> = {
    role: new Map(),
    flag: new Map(),
    action: new Map(),
  };
  readonly #ladders = new Map<string, Place>();
  readonly #phases = new Map<string, Place>();
  readonly #evaluations = new Map<string, Place>();
  readonly #rankings = new Map<string, Place>();
  readonly #references: { kind: ReferenceKind; id: string; place: Place; key?: boolean }[] = [];
  readonly #conditions: { text: string; place: Place; spot: ConditionSpot }[] = [];
  /** Ids a condition may compare an event field with (`event.task == '动员大会'`), by kind. */
  readonly #ids: Record<Exclude<IdKind, 'evaluation'>, Set<string>> = { task: new Set(), inspection: new Set(), decision: new Set(), option: new Set() };
  readonly #dues: PendingDue[] = [];
  /** Each task's, evaluation's and use's due text and phase, for the deadline a due counted from it starts at. */
  readonly #workDues = new Map<string, PendingDue>();
  readonly #registeredSubprocesses = new Set<string>();
  /** Sub-process and phase pairs already walked: a second use in the same phase finds nothing new. */
  readonly #expanded = new Set<string>();
  /** Whether used sub-processes are walked: not when checking a sub-process alone (each is checked in its own file), nor past the limits. */
  #expandUses = true;
  #suppressed = 0;
  /** Findings already reported (code, place, values): a name read forty times in one condition is one finding. */
  readonly #reported = new Set<string>();
  readonly #phaseStarts = new Map<string, DateTime | undefined>();
  #usesWorkingDays = false;
  #frame: CalendarFrame = { year: 2000, zone: DEFAULT_TIMEZONE };
  #campaignStart: DateTime | undefined;
  #campaignEnd: DateTime | undefined;

  constructor(
    readonly library: ReadonlyMap<string, LocatedSubProcess>,
    readonly graph: SubProcessGraph,
  ) {}

  report(code: DslCode, severity: Severity, place: Place, params: Record<string, string | number> = {}, key = false): void {
    const seen = `${code}|${place.parsed.file}|${place.pointer}|${key}|${JSON.stringify(params)}`;
    if (this.#reported.has(seen)) return;
    this.#reported.add(seen);
    // Bounded: a file with a hundred thousand mistakes gets the first ones and a count.
    if (this.diagnostics.length >= DSL_LIMITS.diagnosticsPerFile) {
      this.#suppressed++;
      return;
    }
    this.diagnostics.push(diagnostic(code, severity, place.parsed.spanAt(place.pointer, { key }), params));
  }

  problem(found: InputProblem | undefined, place: Place, key = false): boolean {
    if (found) this.report(found.code, 'error', place, found.params, key);
    return found !== undefined;
  }

  /** Checks an id where it is declared: reserved words, control characters, length. */
  identifier(id: string, place: Place): void {
    this.problem(idProblem(id), place);
  }

  /** The closing count of diagnostics not reported, if any. */
  finish(root: Place): Diagnostic[] {
    if (this.#suppressed === 0) return this.diagnostics;
    const span = root.parsed.spanAt('');
    return [...this.diagnostics, diagnostic('DSL_TOO_MANY_PROBLEMS', 'error', { file: span.file ?? '', line: 1, column: 1 }, { count: this.#suppressed })];
  }

  at(place: Place, ...segments: (string | number)[]): Place {
    return { parsed: place.parsed, pointer: place.pointer + toPointer(segments) };
  }

  where(place: Place): string {
    const span = place.parsed.spanAt(place.pointer);
    return `${span.file ?? '?'}:${span.line ?? '?'}:${span.column ?? '?'}`;
  }

  declareWork(id: string, place: Place): void {
    this.identifier(id, this.at(place, 'id'));
    const previous = this.#workIds.get(id);
    if (previous) {
      this.report('DSL_DUPLICATE_ID', 'error', this.at(place, 'id'), { id, other: this.where(previous) });
      return;
    }
    this.#workIds.set(id, place);
  }

  declareVocabulary(
    kind: 'role' | 'flag' | 'action',
    list: readonly { id: string }[] | undefined,
    place: Place,
    key: string,
  ): void {
    const local = new Map<string, Place>();
    (list ?? []).forEach((entry, index) => {
      const entryPlace = this.at(place, key, index);
      this.identifier(entry.id, this.at(entryPlace, 'id'));
      const previous = local.get(entry.id);
      if (previous) {
        this.report('DSL_DUPLICATE_ID', 'error', this.at(entryPlace, 'id'), { id: entry.id, other: this.where(previous) });
        return;
      }
      local.set(entry.id, entryPlace);
      // A sub-process may repeat a role or flag the campaign also declares: the first wins.
      if (!this.#vocabulary[kind].has(entry.id)) this.#vocabulary[kind].set(entry.id, entryPlace);
    });
  }

  refer(kind: ReferenceKind, id: string | undefined, place: Place, key = false): void {
    if (id !== undefined) this.#references.push({ kind, id, place, key });
  }

  condition(text: string | undefined, place: Place, spot: ConditionSpot): void {
    if (text !== undefined) this.#conditions.push({ text, place, spot });
  }

  /** A trigger's condition, after its declared host fields are checked. */
  trigger(trigger: Trigger | undefined, place: Place): void {
    if (!trigger) return;
    const fields = trigger.fields ?? [];
    fields.forEach((field, i) => this.identifier(field, this.at(place, 'fields', i)));
    if (fields.length > 0 && !takesHostFields(trigger.event)) {
      const known = [...eventFieldsAt({ kind: 'trigger', event: trigger.event, fields: [] }).keys()].map((k) => `event.${k}`);
      this.report('DSL_EVENT_FIELDS_NOT_SENT', 'error', this.at(place, 'fields'), { event: trigger.event, known: known.join(', ') || '—' });
    }
    this.condition(trigger.when, this.at(place, 'when'), { kind: 'trigger', event: trigger.event, fields });
  }

  duration(text: string | undefined, place: Place): DurationSpec | undefined {
    if (text === undefined) return undefined;
    if (this.problem(calendarTextProblem(text, 'duration'), place)) return undefined;
    const spec = parseDurationSpec(text);
    if (!spec) {
      this.report('DSL_BAD_DURATION', 'error', place, { text });
      return undefined;
    }
    if (this.problem(durationProblem(text, spec), place)) return undefined;
    if (spec.unit === 'working-day') this.#usesWorkingDays = true;
    this.withinCampaign(text, spec, place);
    return spec;
  }

  /**
   * A length of time, counted from the campaign start, must end no later than a margin past the
   * campaign's end: a reminder, a rectification period or a duty's time limit longer than that
   * is a slip of the pen (100000000天), and its instant would not be one the engine can store.
   */
  withinCampaign(text: string, spec: DurationSpec, place: Place): void {
    const start = this.#campaignStart;
    const end = this.#campaignEnd;
    if (!start?.isValid || !end?.isValid) return;
    const until = earliestEnd(start, spec);
    const margin = DSL_LIMITS.durationMarginDays;
    if (until.isValid && until <= end.plus({ days: margin })) return;
    this.report('DSL_DURATION_BEYOND_CAMPAIGN', 'error', place, {
      text: shorten(text),
      start: isoDay(start),
      until: until.isValid ? isoDay(until) : '—',
      margin,
      end: isoDay(end),
    });
  }

  recurrence(text: string | undefined, place: Place): void {
    if (text === undefined) return;
    if (this.problem(calendarTextProblem(text, 'recurrence'), place)) return;
    const spec = parseRecurrenceSpec(text);
    if ('error' in spec) {
      const words = recurrenceProblemText(spec.problem);
      this.report('DSL_BAD_RECURRENCE', 'error', place, { text, detail: words.en, detailZh: words.zh });
    }
  }

  date(text: string | undefined, place: Place, side: 'start' | 'end' = 'end'): DateTime | undefined {
    if (text === undefined) return undefined;
    if (this.problem(calendarTextProblem(text, 'date'), place)) return undefined;
    const spec = parseDateSpec(text, side);
    if (spec?.kind === 'from-start' && this.problem(durationProblem(text, { amount: spec.days, unit: 'day' }), place)) return undefined;
    const resolved = spec && resolveDate(spec, { ...this.#frame, ...(this.#campaignStart ? { start: this.#campaignStart } : {}) });
    if (!resolved) {
      this.report('DSL_BAD_DATE', 'error', place, { text });
      return undefined;
    }
    return resolved;
  }

  // ---- campaign ---------------------------------------------------------------------------

  /**
   * Measures what expanding the uses of a campaign or sub-process would cost, before expanding:
   * past the depth or size limits, the limit is reported at the use that costs most and the used
   * sub-processes are not walked (each is still checked in its own file).
   */
  checkExpansion(parsed: ParsedFile, roots: readonly { body: StageBody; pointer: string }[], self?: string): void {
    const { uses, items } = directContents(parsed, roots);
    const measure = this.graph.measureUses(uses, items);
    const depth = measure.depth + (self === undefined ? 0 : 1);
    if (depth > DSL_LIMITS.subprocessDepth) {
      const deepest = uses.reduce<UseSite | undefined>((a, b) => (a && this.graph.measure(a.target).depth >= this.graph.measure(b.target).depth ? a : b), undefined);
      if (deepest) this.report('DSL_SUBPROCESS_TOO_DEEP', 'error', deepest, { depth, id: shorten(deepest.target), limit: DSL_LIMITS.subprocessDepth });
      this.#expandUses = false;
    }
    if (measure.largest && (measure.uses > DSL_LIMITS.expandedUses || measure.items > DSL_LIMITS.expandedItems)) {
      const shown = (n: number): string => (n >= COUNT_CEILING ? `>${COUNT_CEILING}` : String(n));
      this.report('DSL_SUBPROCESS_EXPANSION', 'error', measure.largest, {
        uses: shown(measure.uses),
        items: shown(measure.items),
        id: shorten(measure.largest.target),
        maxUses: DSL_LIMITS.expandedUses,
        maxItems: DSL_LIMITS.expandedItems,
      });
      this.#expandUses = false;
    }
  }

  checkCampaign(parsed: ParsedFile, campaign: CampaignDefinition): void {
    const root: Place = { parsed, pointer: '' };
    this.identifier(campaign.id, this.at(root, 'id'));
    this.checkExpansion(parsed, campaign.phases.map((phase, i) => ({ body: phase, pointer: toPointer(['phases', i]) })));
    const zone = campaign.timezone ?? DEFAULT_TIMEZONE;
    if (!isKnownTimezone(zone)) {
      this.report('DSL_UNKNOWN_TIMEZONE', 'error', this.at(root, 'timezone'), { zone });
    }
    this.#frame = { year: campaign.year, zone: isKnownTimezone(zone) ? zone : DEFAULT_TIMEZONE };
    this.declareVocabulary('role', campaign.roles, root, 'roles');
    this.declareVocabulary('flag', campaign.flags, root, 'flags');
    this.declareVocabulary('action', campaign.actions, root, 'actions');

    const windows = this.phaseWindows(campaign, root);
    for (const frame of windows) if (frame) this.#phaseStarts.set(frame.id, frame.start);
    this.checkPhaseFlow(campaign, root);
    campaign.phases.forEach((phase, index) => {
      const place = this.at(root, 'phases', index);
      this.declareWork(phase.id, place);
      this.#phases.set(phase.id, place);
      this.walkStage(phase, place, windows[index], []);
      (phase.decisions ?? []).forEach((decision, d) => {
        const decisionPlace = this.at(place, 'decisions', d);
        this.declareWork(decision.id, decisionPlace);
        this.#ids.decision.add(decision.id);
        for (const option of decision.options) this.#ids.option.add(option.id);
        this.refer('role', decision.by, this.at(decisionPlace, 'by'));
      });
    });
    // Campaign-level duties run across every phase: bounded by the campaign, not by a window.
    if (campaign.recurring) this.walkStage({ recurring: campaign.recurring }, root, undefined, []);
    (campaign.ladders ?? []).forEach((ladder, index) => {
      const place = this.at(root, 'ladders', index);
      this.declareWork(ladder.id, place);
      this.#ladders.set(ladder.id, place);
      this.trigger(ladder.on, this.at(place, 'on'));
      const levels = ladder.rungs.map((r) => r.level);
      if (levels.some((level, i) => level !== i + 1)) {
        this.report('DSL_LADDER_RUNGS', 'error', this.at(place, 'rungs'), { id: ladder.id, found: levels.join(', ') });
      }
      ladder.rungs.forEach((rung, r) => this.outcome(rung, this.at(place, 'rungs', r)));
    });
    (campaign.consequences ?? []).forEach((consequence, index) => {
      const place = this.at(root, 'consequences', index);
      this.declareWork(consequence.id, place);
      this.trigger(consequence.on, this.at(place, 'on'));
      this.outcome(consequence, place);
    });
    (campaign.rankings ?? []).forEach((ranking, index) => {
      const place = this.at(root, 'rankings', index);
      this.declareWork(ranking.id, place);
      this.#rankings.set(ranking.id, place);
      this.checkRanking(campaign, ranking, place);
    });
    this.resolvePending();
    if (this.#usesWorkingDays && !holidayCalendarCovers(campaign.year) && !campaign.holidays?.holidays?.length) {
      this.report('DSL_CALENDAR_NOT_COVERED', 'warning', this.at(root, 'year'), { year: campaign.year });
    }
  }

  phaseWindows(campaign: CampaignDefinition, root: Place): (PhaseFrame | undefined)[] {
    const explicitStart = this.date(campaign.start, this.at(root, 'start'), 'start');
    const parsedWindows = campaign.phases.map((phase, index) => {
      if (phase.window === undefined) return undefined;
      const place = this.at(root, 'phases', index, 'window');
      if (this.problem(calendarTextProblem(phase.window, 'window'), place)) return undefined;
      const spec = parseWindowSpec(phase.window);
      for (const side of spec ? [spec.start, spec.end] : []) {
        if (side.kind === 'from-start' && this.problem(durationProblem(phase.window, { amount: side.days, unit: 'day' }), place)) return undefined;
      }
      if (!spec) this.report('DSL_BAD_WINDOW', 'error', this.at(root, 'phases', index, 'window'), { text: phase.window });
      return spec;
    });
    const firstAbsolute = parsedWindows[0]?.start.kind === 'month-day' ? resolveDate(parsedWindows[0].start, this.#frame) : undefined;
    this.#campaignStart = explicitStart ?? firstAbsolute ?? resolveDate({ kind: 'month-day', month: 1, day: 1 }, this.#frame);
    const frame: CalendarFrame = { ...this.#frame, ...(this.#campaignStart ? { start: this.#campaignStart } : {}) };
    const frames = campaign.phases.map((phase, index): PhaseFrame | undefined => {
      const spec = parsedWindows[index];
      if (!spec) return undefined;
      const start = resolveDate(spec.start, frame);
      const end = resolveDate(spec.end, frame);
      const place = this.at(root, 'phases', index, 'window');
      if (!start || !end) {
        this.report('DSL_BAD_WINDOW', 'error', place, { text: phase.window ?? '' });
        return undefined;
      }
      if (end < start) {
        this.report('DSL_WINDOW_REVERSED', 'error', place, { text: phase.window ?? '', start: isoDay(start), end: isoDay(end) });
        return undefined;
      }
      return { id: phase.id, start, end };
    });
    const lastEnd = [...frames].reverse().find((f) => f?.end)?.end;
    const explicitEnd = this.date(campaign.end, this.at(root, 'end'), 'end');
    if (campaign.standing === true && campaign.end !== undefined) this.report('DSL_STANDING_WITH_END', 'error', this.at(root, 'end'), { end: campaign.end });
    // A standing mechanism (长效机制) runs until it is closed: laid out as far as the engine does.
    const standingEnd = campaign.standing === true ? this.#campaignStart?.plus({ years: STANDING_HORIZON_YEARS }).minus({ days: 1 }) : undefined;
    this.#campaignEnd = standingEnd ?? explicitEnd ?? lastEnd ?? resolveDate({ kind: 'month-day', month: 12, day: 31 }, this.#frame);
    let previous: PhaseFrame | undefined;
    frames.forEach((current, index) => {
      if (!current?.start || !current.end) return;
      const place = this.at(root, 'phases', index, 'window');
      if (previous?.end && current.start <= previous.end) {
        this.report('DSL_WINDOW_ORDER', 'error', place, {
          id: current.id,
          start: isoDay(current.start),
          previous: previous.id,
          previousEnd: isoDay(previous.end),
        });
      }
      if (this.#campaignStart && this.#campaignEnd && (current.start < this.#campaignStart || current.end > this.#campaignEnd)) {
        this.report('DSL_OUTSIDE_CAMPAIGN', 'error', place, {
          start: isoDay(current.start),
          end: isoDay(current.end),
          campaignStart: isoDay(this.#campaignStart),
          campaignEnd: isoDay(this.#campaignEnd),
        });
      }
      previous = current;
    });
    return frames;
  }

  checkPhaseFlow(campaign: CampaignDefinition, root: Place): void {
    const ids = campaign.phases.map((p) => p.id);
    const edges = new Map<string, string[]>();
    campaign.phases.forEach((phase, index) => {
      const place = this.at(root, 'phases', index);
      const targets: string[] = [];
      const fallthrough = ids[index + 1] ?? 'end';
      if (phase.exit === 'decision') {
        if (!phase.decisions?.length) this.report('DSL_DECISION_MISSING', 'error', this.at(place, 'exit'), { id: phase.id });
      } else {
        targets.push(phase.next ?? fallthrough);
      }
      if (phase.next !== undefined && phase.next !== 'end') this.refer('phase', phase.next, this.at(place, 'next'));
      (phase.decisions ?? []).forEach((decision, d) =>
        decision.options.forEach((option, o) => {
          this.identifier(option.id, this.at(place, 'decisions', d, 'options', o, 'id'));
          targets.push(option.next);
          if (option.next !== 'end') this.refer('phase', option.next, this.at(place, 'decisions', d, 'options', o, 'next'));
        }),
      );
      edges.set(phase.id, targets);
    });
    const reached = new Set<string>();
    const queue = ids.slice(0, 1);
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head] as string;
      if (reached.has(id)) continue;
      reached.add(id);
      for (const target of edges.get(id) ?? []) if (!reached.has(target)) queue.push(target);
    }
    campaign.phases.forEach((phase, index) => {
      if (!reached.has(phase.id)) this.report('DSL_UNREACHABLE_PHASE', 'error', this.at(root, 'phases', index, 'id'), { id: phase.id });
    });
  }

  // ---- stages and work --------------------------------------------------------------------

  walkStage(body: StageBody, place: Place, phase: PhaseFrame | undefined, stack: readonly string[], register = true): void {
    (body.tasks ?? []).forEach((task, i) => {
      const p = this.at(place, 'tasks', i);
      this.#ids.task.add(task.id);
      this.workItem(task, p, register);
      this.due(task.due, this.at(p, 'due'), phase);
      this.noteWorkDue(task.id, task.due, p, phase);
    });
    (body.recurring ?? []).forEach((duty, i) => {
      const p = this.at(place, 'recurring', i);
      this.#ids.task.add(duty.id);
      this.workItem(duty, p, register);
      this.recurrence(duty.every, this.at(p, 'every'));
      this.duration(duty.dueWithin, this.at(p, 'dueWithin'));
      for (const key of ['from', 'until'] as const) {
        const date = this.date(duty[key], this.at(p, key), key === 'from' ? 'start' : 'end');
        if (date) this.checkDutyBound(date, this.at(p, key), phase, key);
      }
    });
    (body.evaluations ?? []).forEach((evaluation, i) => {
      const p = this.at(place, 'evaluations', i);
      if (register) {
        this.declareWork(evaluation.id, p);
        this.#evaluations.set(evaluation.id, p);
      }
      this.#ids.task.add(evaluation.id);
      this.refer('role', evaluation.by, this.at(p, 'by'));
      this.scale(evaluation.scale, this.at(p, 'scale'));
      this.due(evaluation.due, this.at(p, 'due'), phase);
      this.noteWorkDue(evaluation.id, evaluation.due, p, phase);
      this.recurrence(evaluation.every, this.at(p, 'every'));
    });
    (body.inspections ?? []).forEach((inspection, i) => {
      const p = this.at(place, 'inspections', i);
      this.#ids.inspection.add(inspection.id);
      if (register) this.declareWork(inspection.id, p);
      this.refer('role', inspection.by, this.at(p, 'by'));
      this.recurrence(inspection.every, this.at(p, 'every'));
      this.duration(inspection.rectifyWithin, this.at(p, 'rectifyWithin'));
      for (const key of ['onFinding', 'onFailed', 'onExhausted'] as const) {
        const outcome = inspection[key];
        if (outcome) this.outcome(outcome, this.at(p, key), { kind: 'outcome', of: key });
      }
    });
    (body.uses ?? []).forEach((use, i) => {
      const p = this.at(place, 'uses', i);
      if (register) this.declareWork(use.id ?? use.use, p);
      this.due(use.due, this.at(p, 'due'), phase);
      this.noteWorkDue(use.id ?? use.use, use.due, p, phase);
      this.expandSubprocess(use.use, this.at(p, 'use'), phase, stack);
    });
    (body.workstreams ?? []).forEach((stream, i) => {
      const p = this.at(place, 'workstreams', i);
      if (register) this.declareWork(stream.id, p);
      this.walkStage(stream, p, phase, stack, register);
    });
  }

  workItem(item: WorkItem, place: Place, register: boolean): void {
    if (register) this.declareWork(item.id, place);
    this.refer('role', item.owner, this.at(place, 'owner'));
    this.refer('role', item.reportTo, this.at(place, 'reportTo'));
    this.duration(item.remindBefore, this.at(place, 'remindBefore'));
    if (item.onOverdue) this.outcome(item.onOverdue, this.at(place, 'onOverdue'), { kind: 'outcome', of: 'onOverdue' });
  }

  outcome(outcome: Outcome | { actions?: string[]; flags?: string[] }, place: Place, spot?: ConditionSpot): void {
    (outcome.actions ?? []).forEach((id, i) => this.refer('action', id, this.at(place, 'actions', i)));
    (outcome.flags ?? []).forEach((id, i) => this.refer('flag', id, this.at(place, 'flags', i)));
    if ('ladder' in outcome) this.refer('ladder', outcome.ladder, this.at(place, 'ladder'));
    if ('when' in outcome && spot) this.condition(outcome.when, this.at(place, 'when'), spot);
  }

  scale(scale: ScoreScale | undefined, place: Place): void {
    if (scale && !(scale.min < scale.max)) this.report('DSL_SCORE_SCALE', 'error', place, { min: scale.min, max: scale.max });
  }

  due(text: string | undefined, place: Place, phase: PhaseFrame | undefined): void {
    if (text === undefined) return;
    if (this.problem(calendarTextProblem(text, 'due'), place)) return;
    const spec = parseDueSpec(text);
    if (!spec) {
      this.report('DSL_BAD_DUE', 'error', place, { text });
      return;
    }
    const length = spec.kind === 'after' ? spec.duration : spec.date.kind === 'from-start' ? { amount: spec.date.days, unit: 'day' as const } : undefined;
    if (length && this.problem(durationProblem(text, length), place)) return;
    if (spec.kind === 'after' && spec.duration.unit === 'working-day') this.#usesWorkingDays = true;
    this.#dues.push({ text, place, phase });
  }

  expandSubprocess(id: string, place: Place, phase: PhaseFrame | undefined, stack: readonly string[]): void {
    const located = this.library.get(id);
    if (!located) {
      this.report('DSL_UNKNOWN_SUBPROCESS', 'error', place, { id: shorten(id), known: nameList(this.library.keys()) || '—' });
      return;
    }
    // Cycles are reported once, by the use graph, at the use that closes them.
    if (!this.#expandUses || this.graph.isCyclic(id) || stack.includes(id)) return;
    const visit = `${id}\u0000${phase?.id ?? ''}`;
    if (this.#expanded.has(visit)) return;
    this.#expanded.add(visit);
    this.walkSubprocess(id, located, phase, stack);
  }

  /** Checks a sub-process on its own: its body, and its uses only as far as they exist and stay within the limits. */
  checkSubProcess(parsed: ParsedFile, sub: SubProcessDefinition): void {
    const root: Place = { parsed, pointer: '' };
    this.identifier(sub.id, this.at(root, 'id'));
    this.checkExpansion(parsed, [{ body: sub, pointer: '' }, ...(sub.parts ?? []).map((part, i) => ({ body: part, pointer: toPointer(['parts', i]) }))], sub.id);
    this.#expandUses = false;
    this.walkSubprocess(sub.id, { parsed, definition: sub }, undefined, []);
  }

  walkSubprocess(id: string, located: LocatedSubProcess, phase: PhaseFrame | undefined, stack: readonly string[]): void {
    const register = !this.#registeredSubprocesses.has(id);
    this.#registeredSubprocesses.add(id);
    const root: Place = { parsed: located.parsed, pointer: '' };
    const sub = located.definition;
    if (register) {
      this.declareVocabulary('role', sub.roles, root, 'roles');
      this.declareVocabulary('flag', sub.flags, root, 'flags');
      this.declareVocabulary('action', sub.actions, root, 'actions');
    }
    const nextStack = [...stack, id];
    this.walkStage(sub, root, phase, nextStack, register);
    (sub.parts ?? []).forEach((part, i) => {
      const p = this.at(root, 'parts', i);
      if (register) this.declareWork(part.id, p);
      this.walkStage(part, p, phase, nextStack, register);
    });
  }

  checkRanking(campaign: CampaignDefinition, ranking: Ranking, place: Place): void {
    const at = this.date(ranking.at, this.at(place, 'at'));
    if (at) this.checkInWindow(isoDay(at), at, this.at(place, 'at'), undefined);
    const weights = Object.entries(ranking.weights);
    if (weights.length === 0) {
      this.report('DSL_WEIGHTS', 'error', this.at(place, 'weights'), { id: ranking.id, detail: 'no evaluation is weighted' });
    }
    for (const [evaluation, weight] of weights) {
      this.problem(idProblem(evaluation), this.at(place, 'weights', evaluation), true);
      this.refer('evaluation', evaluation, this.at(place, 'weights', evaluation), true);
      if (!(weight > 0)) {
        this.report('DSL_WEIGHTS', 'error', this.at(place, 'weights', evaluation), {
          id: ranking.id,
          detail: `${evaluation} has ${weight}`,
        });
      }
    }
    this.condition(ranking.eligible, this.at(place, 'eligible'), { kind: 'eligible' });
    const available = ranking.subject === 'unit' ? campaign.scale?.units : campaign.scale?.members;
    let total = 0;
    for (const band of ['top', 'bottom'] as const) {
      const b = ranking[band];
      if (!b) continue;
      total += b.count;
      const bandPlace = this.at(place, band);
      this.outcome(b, bandPlace, { kind: 'band' });
      if (available !== undefined && b.count > available) {
        this.report('DSL_RANKING_IMPLAUSIBLE', 'error', this.at(bandPlace, 'count'), {
          id: ranking.id,
          count: b.count,
          band,
          bandZh: band === 'top' ? '前列' : '末位',
          available,
          subjectEn: ranking.subject === 'unit' ? 'units' : 'members',
          subjectZh: ranking.subject === 'unit' ? '单位' : '人员',
        });
      }
    }
    if (available === undefined && total > 0) {
      this.report('DSL_RANKING_NO_SCALE', 'warning', place, { id: ranking.id, count: total });
    } else if (available !== undefined && total > available && ranking.top && ranking.bottom && ranking.top.count <= available && ranking.bottom.count <= available) {
      this.report('DSL_RANKING_IMPLAUSIBLE', 'error', this.at(place, 'bottom', 'count'), {
        id: ranking.id,
        count: total,
        band: 'top and bottom',
        bandZh: '前列与末位合计',
        available,
        subjectEn: ranking.subject === 'unit' ? 'units' : 'members',
        subjectZh: ranking.subject === 'unit' ? '单位' : '人员',
      });
    }
  }

  checkInWindow(shown: string, date: DateTime, place: Place, phase: PhaseFrame | undefined): void {
    if (this.#campaignEnd && date > this.#campaignEnd) {
      this.report('DSL_DEADLINE_AFTER_END', 'error', place, { due: shown, end: isoDay(this.#campaignEnd) });
      return;
    }
    // Work may be due after its phase's window (a phase report due weeks after the phase, issue 18):
    // it belongs to the phase and stays open after it. Due before the window opens, it never could be done.
    if (phase?.start && phase.end && date < phase.start) {
      this.report('DSL_DEADLINE_OUTSIDE_WINDOW', 'error', place, {
        due: shown,
        phase: phase.id,
        start: isoDay(phase.start),
        end: isoDay(phase.end),
      });
    } else if (!phase && this.#campaignStart && date < this.#campaignStart) {
      // A due date is one day, not a window: said as a date before the start.
      this.report('DSL_DEADLINE_BEFORE_START', 'error', place, { due: shown, campaignStart: isoDay(this.#campaignStart) });
    }
  }

  /**
   * A recurring duty's `from:` (its start) or `until:` (its end) must lie in its phase's window, or
   * in the campaign: said as a start or an end, never as a deadline.
   */
  checkDutyBound(date: DateTime, place: Place, phase: PhaseFrame | undefined, side: 'from' | 'until'): void {
    const start = phase?.start ?? this.#campaignStart;
    const end = phase?.end ?? this.#campaignEnd;
    if (!start || !end || (date >= start && date <= end)) return;
    this.report('DSL_DUTY_OUTSIDE_WINDOW', 'error', place, {
      date: isoDay(date),
      sideEn: side === 'from' ? 'starts' : 'ends',
      sideZh: side === 'from' ? '开始' : '结束',
      whereEn: phase ? `the window of phase "${phase.id}"` : 'the campaign',
      whereZh: phase ? `阶段「${phase.id}」的时段` : '活动期间',
      start: isoDay(start),
      end: isoDay(end),
    });
  }

  // ---- second pass: things that may be declared after they are used ----------------------------

  resolvePending(): void {
    for (const ref of this.#references) {
      if (this.known(ref.kind, ref.id)) continue;
      const names = REFERENCE_NAMES[ref.kind];
      const known = nameList(this.table(ref.kind).keys());
      const hint = known.length > 0 ? ` (${known})` : '';
      this.report('DSL_UNKNOWN_REFERENCE', 'error', ref.place, { kindEn: names.en, kindZh: names.zh, id: shorten(ref.id), hint }, ref.key);
    }
    for (const pending of this.#dues) this.checkDue(pending);
    for (const { text, place, spot } of this.#conditions) this.checkCondition(text, place, spot);
  }

  table(kind: ReferenceKind): ReadonlyMap<string, Place> {
    switch (kind) {
      case 'role':
      case 'flag':
      case 'action':
        return this.#vocabulary[kind];
      case 'ladder':
        return this.#ladders;
      case 'phase':
        return this.#phases;
      case 'evaluation':
        return this.#evaluations;
      case 'anchor':
        return this.#workIds;
    }
  }

  known(kind: ReferenceKind, id: string): boolean {
    return this.table(kind).has(id);
  }

  checkDue({ text, place, phase }: PendingDue): void {
    const spec = parseDueSpec(text);
    if (!spec) return;
    let date: DateTime | undefined;
    if (spec.kind === 'date') {
      date = resolveDate(spec.date, { ...this.#frame, ...(this.#campaignStart ? { start: this.#campaignStart } : {}) });
      if (!date) {
        this.report('DSL_BAD_DUE', 'error', place, { text });
        return;
      }
    } else {
      let from: DateTime | undefined;
      if (spec.anchor === 'start') {
        from = this.#campaignStart;
      } else if (this.#phases.has(spec.anchor)) {
        from = this.#phaseStarts.get(spec.anchor);
      } else if (!this.#workIds.has(spec.anchor)) {
        const names = REFERENCE_NAMES.anchor;
        this.report('DSL_UNKNOWN_REFERENCE', 'error', place, { kindEn: names.en, kindZh: names.zh, id: shorten(spec.anchor), hint: '' });
        return;
      } else {
        // After a task's completion: not known statically, but never before the campaign starts,
        // so a length that ends past the campaign even from its start is surely too long.
        const start = this.#campaignStart;
        const end = this.#campaignEnd;
        const earliest = start && earliestEnd(start, spec.duration);
        if (earliest && end && (!earliest.isValid || earliest > end)) {
          this.report('DSL_DEADLINE_AFTER_END', 'error', place, { due: earliest.isValid ? isoDay(earliest) : '—', end: isoDay(end) });
          return;
        }
        this.checkRelativeFits(spec.anchor, spec.duration, place, phase);
        return;
      }
      if (!from) return;
      date = earliestEnd(from, spec.duration);
    }
    // An instant luxon cannot represent compares false with everything: it is an error, never a pass.
    if (!date.isValid) {
      this.report('DSL_BAD_DUE', 'error', place, { text });
      return;
    }
    this.checkInWindow(isoDay(date), date, place, phase);
  }

  noteWorkDue(id: string, text: string | undefined, place: Place, phase: PhaseFrame | undefined): void {
    if (!this.#workDues.has(id)) this.#workDues.set(id, { text: text ?? '', place, phase });
  }

  /**
   * The last day a task, evaluation or use is due on when it is done on time, as far as it is known
   * statically: its date, the end of its phase when it names none, or (counted from another task)
   * that task's last day plus the length at its earliest. Undefined when unknown (a chain longer
   * than the work there is, an anchor that recurs, a phase without a window).
   */
  lastDayOf(id: string, depth = 0): DateTime | undefined {
    const work = this.#workDues.get(id);
    if (!work || depth > this.#workDues.size) return undefined;
    if (work.text === '') return work.phase?.end;
    const spec = parseDueSpec(work.text);
    if (!spec) return undefined;
    if (spec.kind === 'date') return resolveDate(spec.date, { ...this.#frame, ...(this.#campaignStart ? { start: this.#campaignStart } : {}) }) ?? undefined;
    const from = spec.anchor === 'start' ? this.#campaignStart : this.#phases.has(spec.anchor) ? this.#phaseStarts.get(spec.anchor) : this.lastDayOf(spec.anchor, depth + 1);
    const date = from && earliestEnd(from, spec.duration);
    return date?.isValid ? date : undefined;
  }

  /**
   * A due counted from another task's completion must fit its phase when that task is done on its own
   * deadline (the latest it is on time): "全区动员大会后5个工作日内" in a phase that ends before five
   * working days after the meeting's deadline could not be met by a unit whose office met its own.
   */
  checkRelativeFits(anchor: string, duration: DurationSpec, place: Place, phase: PhaseFrame | undefined): void {
    if (!phase?.start || !phase.end) return;
    const anchorDay = this.lastDayOf(anchor);
    const date = anchorDay && earliestEnd(anchorDay, duration);
    if (!anchorDay || !date?.isValid || date <= phase.end) return;
    this.report('DSL_RELATIVE_DUE_OUTSIDE_WINDOW', 'error', place, {
      anchor,
      anchorDue: isoDay(anchorDay),
      due: isoDay(date),
      phase: phase.id,
      start: isoDay(phase.start),
      end: isoDay(phase.end),
    });
  }

  checkConditionSyntax(): void {
    for (const { text, place } of this.#conditions) {
      const parsed = parseCondition(text);
      if ('problem' in parsed) this.conditionProblem(text, place, parsed.problem);
    }
  }

  conditionProblem(text: string, place: Place, problem: ConditionProblem): void {
    if (problem.kind === 'too-long') this.report('DSL_CONDITION_TOO_LONG', 'error', place, { length: text.length, limit: DSL_LIMITS.conditionLength });
    else if (problem.kind === 'too-deep') this.report('DSL_CONDITION_TOO_DEEP', 'error', place, { limit: DSL_LIMITS.conditionDepth });
    else if (problem.kind === 'syntax') this.report('DSL_EXPRESSION_SYNTAX', 'error', place, { text, detail: problem.detail });
    else this.report('DSL_EXPRESSION_FORBIDDEN', 'error', place, { text, construct: problem.detail });
  }

  checkCondition(text: string, place: Place, spot: ConditionSpot): void {
    const parsed = parseCondition(text);
    if ('problem' in parsed) {
      this.conditionProblem(text, place, parsed.problem);
      return;
    }
    const where = spotName(spot);
    for (const path of conditionNames(parsed.node)) {
      if (this.nameResolves(path, spot)) continue;
      this.report('DSL_EXPRESSION_UNKNOWN_NAME', 'error', place, {
        name: shorten(path.join('.')),
        known: this.namesAt(spot, path[0]),
        spotEn: where.en,
        spotZh: where.zh,
      });
    }
    const fields = eventFieldsAt(spot);
    for (const { field, value } of fieldLiterals(parsed.node)) {
      const kind = fields.get(field);
      if (kind === undefined || kind === 'text' || kind === 'number') continue;
      const ids: ReadonlySet<string> | ReadonlyMap<string, Place> = kind === 'evaluation' ? this.#evaluations : this.#ids[kind];
      if (ids.has(value)) continue;
      const names = ID_KIND_NAMES[kind];
      this.report('DSL_EXPRESSION_UNKNOWN_VALUE', 'error', place, {
        field,
        value: shorten(value),
        kindEn: names.en,
        kindZh: names.zh,
        known: nameList(ids.keys()) || '—',
      });
    }
  }

  /**
   * Whether a name a condition reads is one the engine fills at this spot: a declared flag, ladder
   * or evaluation, an event field of this spot, a subject fact, `rank` in a band, `overdue`.
   */
  nameResolves(path: readonly string[], spot: ConditionSpot): boolean {
    const [root, key, ...rest] = path;
    if (root === 'rank' || root === 'overdue') return key === undefined && (root === 'overdue' || rankAt(spot));
    if (key === undefined || rest.length > 0) return false;
    switch (root) {
      case 'flags':
        return this.#vocabulary.flag.has(key);
      case 'scores':
        // A ranking's own score is not a fact of the subject: the engine keeps evaluation means only.
        return this.#evaluations.has(key);
      case 'ladders':
        return this.#ladders.has(key);
      case 'event':
        return eventFieldsAt(spot).has(key);
      case 'subject':
        return SUBJECT_FIELDS.includes(key);
      default:
        return false;
    }
  }

  /**
   * The names a condition at this spot can read, for the message: those under the same root as the
   * name not found first (a misspelt flag is listed beside the flags), as a list is cut at 20.
   */
  namesAt(spot: ConditionSpot, root: string | undefined): string {
    const names = [
      ...[...eventFieldsAt(spot).keys()].map((k) => `event.${k}`),
      ...(rankAt(spot) ? ['rank'] : []),
      'overdue',
      ...SUBJECT_FIELDS.map((k) => `subject.${k}`),
      ...[...this.#vocabulary.flag.keys()].map((k) => `flags.${k}`),
      ...[...this.#evaluations.keys()].map((k) => `scores.${k}`),
      ...[...this.#ladders.keys()].map((k) => `ladders.${k}`),
    ];
    const near = names.filter((n) => n.split('.')[0] === root);
    return nameList([...near, ...names.filter((n) => n.split('.')[0] !== root)]);
  }
}

const ID_KIND_NAMES: Record<IdKind, { en: string; zh: string }> = {
  task: { en: 'task, duty or evaluation', zh: '任务、定期工作或评价' },
  evaluation: { en: 'evaluation', zh: '评价' },
  inspection: { en: 'inspection', zh: '检查' },
  decision: { en: 'decision', zh: '决定' },
  option: { en: 'decision option', zh: '决定选项' },
};

/** Runs the semantic checks of a campaign, resolving its sub-processes from the library. */
export function checkCampaignSemantics(
  parsed: ParsedFile,
  campaign: CampaignDefinition,
  library: ReadonlyMap<string, LocatedSubProcess>,
  graph: SubProcessGraph = graphOf(library),
): Diagnostic[] {
  const checker = new SemanticChecker(library, graph);
  checker.checkCampaign(parsed, campaign);
  return dedupe(checker.finish({ parsed, pointer: '' }));
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
  const checker = new SemanticChecker(library, graph);
  checker.checkSubProcess(parsed, sub);
  checker.checkConditionSyntax();
  return dedupe(checker.finish({ parsed, pointer: '' }));
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

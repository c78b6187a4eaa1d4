import type { DateTime } from 'luxon';
import { DEFAULT_TIMEZONE, type CalendarFrame } from '../calendar/resolve-date.js';
import { diagnostic, type Diagnostic, type Severity } from '../errors/diagnostic.js';
import type { DslCode } from '../errors/dsl-messages.js';
import type { SubProcessDefinition } from '../model/process.js';
import type { Trigger } from '../model/vocabulary.js';
import type { Outcome } from '../model/work.js';
import { toPointer, type ParsedFile } from '../source/parsed-file.js';
import { DSL_LIMITS } from '../limits.js';
import { idProblem, type InputProblem } from './input-checks.js';
import type { SubProcessGraph } from './subprocess-graph.js';
import { eventFieldsAt, takesHostFields, type ConditionSpot, type IdKind } from './condition-names.js';
import type { UseScope } from '../uses/use-namespace.js';

/** A sub-process definition together with the file it came from. */
export interface LocatedSubProcess {
  readonly parsed: ParsedFile;
  readonly definition: SubProcessDefinition;
}

/** Where something was written: its file and JSON Pointer. */
export interface Place {
  readonly parsed: ParsedFile;
  readonly pointer: string;
}

export type ReferenceKind = 'role' | 'flag' | 'action' | 'ladder' | 'phase' | 'evaluation' | 'anchor';

export const REFERENCE_NAMES: Record<ReferenceKind, { en: string; zh: string }> = {
  role: { en: 'role', zh: '角色' },
  flag: { en: 'flag', zh: '标记' },
  action: { en: 'action', zh: '措施' },
  ladder: { en: 'ladder', zh: '问责阶梯' },
  phase: { en: 'phase', zh: '阶段' },
  evaluation: { en: 'evaluation', zh: '评价' },
  anchor: { en: 'phase or task to count from', zh: '起算的阶段或任务' },
};

/** 阶段时段 — a phase and its window, as far as it could be resolved. */
export interface PhaseFrame {
  readonly id: string;
  readonly start?: DateTime;
  readonly end?: DateTime;
}

/** A due text kept for the second pass, when every task it may count from is declared. */
export interface PendingDue {
  readonly text: string;
  readonly place: Place;
  readonly phase: PhaseFrame | undefined;
  /** Where it is written: a due inside a namespaced use counts from that use's work. */
  readonly scope: UseScope;
}

/**
 * What the semantic layer of validation knows while it walks one file: the names declared so far,
 * the references and conditions to resolve in the second pass, the calendar frame, and the
 * diagnostics. The checks themselves live beside it, one module per concept (calendar, phases,
 * stages and uses, rankings, conditions); they share this one object so that a name declared by
 * one is seen by the others.
 */
export class SemanticContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly workIds = new Map<string, Place>();
  readonly vocabulary: Record<'role' | 'flag' | 'action', Map<string, Place>> = {
    role: new Map(),
    flag: new Map(),
    action: new Map(),
  };
  readonly ladders = new Map<string, Place>();
  readonly phases = new Map<string, Place>();
  readonly evaluations = new Map<string, Place>();
  readonly rankings = new Map<string, Place>();
  /** 等次评定 — each grading's grades (conditions compare `grades.<id>` with them). */
  readonly grades = new Map<string, ReadonlySet<string>>();
  readonly references: { kind: ReferenceKind; id: string; place: Place; key?: boolean }[] = [];
  readonly conditions: { text: string; place: Place; spot: ConditionSpot }[] = [];
  /** Ids a condition may compare an event field with (`event.task == '动员大会'`), by kind. */
  readonly ids: Record<Exclude<IdKind, 'evaluation'>, Set<string>> = { task: new Set(), inspection: new Set(), decision: new Set(), option: new Set(), itemKind: new Set() };
  readonly dues: PendingDue[] = [];
  /** Each task's, evaluation's and use's due text and phase, for the deadline a due counted from it starts at. */
  readonly workDues = new Map<string, PendingDue>();
  readonly registeredSubprocesses = new Set<string>();
  /** The sub-processes the campaign runs more than once, whose work is named by each use (`use-namespace.ts`). */
  repeated: ReadonlySet<string> = new Set();
  /** Each use's full name (its scope's prefix and its name) and where it was first written. */
  readonly useNames = new Map<string, Place>();
  /** Whether used sub-processes are walked: not when checking a sub-process alone (each is checked in its own file), nor past the limits. */
  expandUses = true;
  #suppressed = 0;
  /** Findings already reported (code, place, values): a name read forty times in one condition is one finding. */
  readonly #reported = new Set<string>();
  readonly phaseStarts = new Map<string, DateTime | undefined>();
  usesWorkingDays = false;
  frame: CalendarFrame = { year: 2000, zone: DEFAULT_TIMEZONE };
  campaignStart: DateTime | undefined;
  campaignEnd: DateTime | undefined;
  /** Role id → whether it sits at the office (the first declaration wins, as for the vocabulary). */
  readonly officeRoles = new Map<string, boolean>();
  /** 批次 — the cohorts the campaign declares (conditions compare `subject.cohort` with them). */
  readonly cohorts = new Set<string>();

  constructor(
    readonly library: ReadonlyMap<string, LocatedSubProcess>,
    readonly graph: SubProcessGraph,
  ) {}

  /** The calendar frame with the campaign's start, for resolving dates counted from it. */
  get startFrame(): CalendarFrame {
    return { ...this.frame, ...(this.campaignStart ? { start: this.campaignStart } : {}) };
  }

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

  /** Declares a piece of work written as `id`, known as `key` (its name in a namespaced use, else its id). */
  declareWork(id: string, place: Place, key = id): void {
    this.identifier(id, this.at(place, 'id'));
    const previous = this.workIds.get(key);
    if (previous) {
      this.report('DSL_DUPLICATE_ID', 'error', this.at(place, 'id'), { id: key, other: this.where(previous) });
      return;
    }
    this.workIds.set(key, place);
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
      if (kind === 'role' && !this.officeRoles.has(entry.id)) this.officeRoles.set(entry.id, (entry as { level?: string }).level === 'office');
      // A sub-process may repeat a role or flag the campaign also declares: the first wins.
      if (!this.vocabulary[kind].has(entry.id)) this.vocabulary[kind].set(entry.id, entryPlace);
    });
  }

  refer(kind: ReferenceKind, id: string | undefined, place: Place, key = false): void {
    if (id !== undefined) this.references.push({ kind, id, place, key });
  }

  condition(text: string | undefined, place: Place, spot: ConditionSpot): void {
    if (text !== undefined) this.conditions.push({ text, place, spot });
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

  outcome(outcome: Outcome | { actions?: string[]; flags?: string[] }, place: Place, spot?: ConditionSpot): void {
    (outcome.actions ?? []).forEach((id, i) => this.refer('action', id, this.at(place, 'actions', i)));
    (outcome.flags ?? []).forEach((id, i) => this.refer('flag', id, this.at(place, 'flags', i)));
    if ('ladder' in outcome) this.refer('ladder', outcome.ladder, this.at(place, 'ladder'));
    if ('when' in outcome && spot) this.condition(outcome.when, this.at(place, 'when'), spot);
  }

  table(kind: ReferenceKind): ReadonlyMap<string, Place> {
    switch (kind) {
      case 'role':
      case 'flag':
      case 'action':
        return this.vocabulary[kind];
      case 'ladder':
        return this.ladders;
      case 'phase':
        return this.phases;
      case 'evaluation':
        return this.evaluations;
      case 'anchor':
        return this.workIds;
    }
  }

  known(kind: ReferenceKind, id: string): boolean {
    return this.table(kind).has(id);
  }
}

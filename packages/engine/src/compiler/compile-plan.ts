import {
  CAMPAIGN_SCOPE,
  DEFAULT_TIMEZONE,
  keyIn,
  parseDueSpec,
  parseDurationSpec,
  parseRecurrenceSpec,
  repeatedSubprocesses,
  scopeOfUse,
  STANDING_HORIZON_YEARS,
  cycleMonths,
  useName,
  type CampaignDefinition,
  type StageBody,
  type SubProcessDefinition,
  type Trigger,
  type UseScope,
  type WorkItem,
} from '@luoshi/dsl';
import { CampaignCalendar } from '../calendar/campaign-calendar.js';
import type {
  ActionPlan,
  CampaignPlan,
  CohortPlan,
  GradingPlan,
  InspectionPlan,
  ItemPlan,
  LadderPlan,
  PhasePlan,
  RankingPlan,
  RecurrencePlan,
  RoleLevel,
  StagePlan,
  TriggerPlan,
  UsePlan,
} from './campaign-plan.js';
import type { ProcessBundle } from './process-bundle.js';
import { itemInScope } from './use-scope.js';
import { cycleId } from '../runtime/cycles.js';
import { cyclesOf, decisionsInCycle, itemInCycle, weightsInCycle } from './cycle-plan.js';
import { band, cardMonthsPlan, condition, extensionsPlan, gradingPlan, invalid, lightsPlan, outcome, trackedKindsPlan } from './rule-plans.js';

/** Builds the executable plan of a campaign version. Throws ENGINE_INVALID_DEFINITION on what validation should have caught. */
export function compilePlan(bundle: ProcessBundle, version: number): CampaignPlan {
  return new PlanCompiler(bundle, version).compile();
}

class PlanCompiler {
  readonly #campaign: CampaignDefinition;
  readonly #version: number;
  readonly #library: ReadonlyMap<string, SubProcessDefinition>;
  readonly #calendar: CampaignCalendar;
  readonly #roles = new Map<string, { id: string; title: string; level: RoleLevel }>();
  readonly #actions = new Map<string, ActionPlan>();
  readonly #flags = new Map<string, { id: string; title: string; lasts: 'year' | 'campaign' }>();
  readonly #items = new Map<string, ItemPlan>();
  readonly #inspections = new Map<string, InspectionPlan>();
  readonly #uses = new Map<string, UsePlan>();
  /** The sub-processes this campaign runs more than once: their work is named by each use. */
  readonly #repeated: ReadonlySet<string>;
  /** 周期 — the calendar the file's dates of the cycle being compiled resolve in (the campaign's for the first). */
  #dates: CampaignCalendar;
  /** 周期 — the cycle being compiled, when it is a later one: its label and start (its work is named `id.label`). */
  #cycle: { readonly label: string; readonly start: number } | undefined;
  /** The ids of the campaign's own duties: a due counted from one is not a cycle's. */
  readonly #campaignIds: ReadonlySet<string>;

  constructor(bundle: ProcessBundle, version: number) {
    this.#campaign = bundle.campaign;
    this.#version = version;
    this.#library = new Map(bundle.subprocesses.map((s) => [s.id, s]));
    this.#repeated = repeatedSubprocesses(bundle.campaign.phases, this.#library);
    const zone = bundle.campaign.timezone ?? DEFAULT_TIMEZONE;
    const probe = new CampaignCalendar({ zone, year: bundle.campaign.year, holidays: bundle.campaign.holidays });
    const firstWindow = bundle.campaign.phases[0]?.window;
    const start =
      (bundle.campaign.start ? probe.startOfDay(bundle.campaign.start) : undefined) ??
      (firstWindow ? probe.window(firstWindow)?.start : undefined) ??
      probe.startOfDay(`${bundle.campaign.year}-01-01`);
    if (start === undefined) throw invalid(`campaign start "${bundle.campaign.start}"`);
    this.#calendar = new CampaignCalendar({ zone, year: bundle.campaign.year, holidays: bundle.campaign.holidays, start });
    this.#dates = this.#calendar;
    this.#campaignIds = new Set((bundle.campaign.recurring ?? []).map((r) => r.id));
  }

  compile(): CampaignPlan {
    const c = this.#campaign;
    this.#vocabulary(c);
    for (const sub of this.#library.values()) this.#vocabulary(sub);
    const calendar = this.#calendar;
    const start = calendar.start as number;
    const windows = c.phases.map((p) => (p.window ? calendar.window(p.window) : undefined));
    const lastEnd = windows.at(-1)?.end;
    // 长效机制: no end date; laid out STANDING_HORIZON_YEARS ahead, to be closed by a decision before.
    const standingEnd = c.standing === true ? calendar.dateTime(start).plus({ years: STANDING_HORIZON_YEARS }).toMillis() : undefined;
    const end = standingEnd ?? (c.end ? calendar.endOfDay(c.end) : undefined) ?? lastEnd ?? calendar.startOfDay(`${c.year + 1}-01-01`) ?? start;
    const cycles = c.cycle === undefined ? undefined : cyclesOf(calendar, start, end, cycleMonths(c.cycle));
    const phases: PhasePlan[] = [];
    // 周期: the flow once per cycle, each cycle's dates the first's moved on; a cycle's last phase
    // goes on to the next cycle's first (a decision's `end` still ends).
    for (const cycle of cycles ?? [undefined]) {
      const later = cycle === undefined || cycle.index === 0 ? undefined : cycle;
      this.#cycle = later;
      this.#dates = later ? calendar.shifted(later.months) : calendar;
      const nextCycle = cycle === undefined ? undefined : cycles?.[cycle.index + 1];
      const inCycle = (id: string) => (later ? cycleId(id, later.label) : id);
      const cycleWindows = later ? c.phases.map((p) => (p.window ? this.#dates.window(p.window) : undefined)) : windows;
      const cycleStart = cycle?.start ?? start;
      const cycleEnd = nextCycle?.start ?? end;
      c.phases.forEach((phase, index) => {
        const window = cycleWindows[index];
        const phaseStart = window?.start ?? (index === 0 ? cycleStart : (cycleWindows[index - 1]?.end ?? cycleStart));
        const phaseEnd = window?.end ?? cycleWindows[index + 1]?.start ?? cycleEnd;
        const collected: string[] = [];
        const id = inCycle(phase.id);
        const stage = this.#stage(id, phase.title, phase, { phase: id, end: phaseEnd, start: phaseStart, scope: CAMPAIGN_SCOPE }, collected);
        const next = phase.next ?? c.phases[index + 1]?.id ?? 'end';
        const first = c.phases[0]?.id;
        phases.push({
          id,
          title: phase.title,
          index: phases.length,
          start: phaseStart,
          end: phaseEnd,
          ...(window ? { opens: window.start } : {}),
          exit: phase.exit ?? 'window-end',
          next: next !== 'end' ? inCycle(next) : nextCycle && first !== undefined ? cycleId(first, nextCycle.label) : 'end',
          decisions: later ? decisionsInCycle(phase.decisions ?? [], later.label) : (phase.decisions ?? []),
          stage,
          itemIds: collected,
          ...(later ? { cycle: later.label } : {}),
        });
      });
    }
    this.#cycle = undefined;
    this.#dates = calendar;
    // 全程常态任务: duties of the whole campaign, framed by the campaign rather than a window; their
    // tasks name the campaign as their phase.
    const campaignItemIds: string[] = [];
    if (c.recurring?.length) this.#stage(c.id, c.title, { recurring: c.recurring }, { phase: c.id, start, end, scope: CAMPAIGN_SCOPE }, campaignItemIds);
    for (const id of campaignItemIds) {
      const item = this.#items.get(id);
      if (item) this.#items.set(id, { ...item, campaignWide: true });
    }
    const ladders = new Map<string, LadderPlan>(
      (c.ladders ?? []).map((l) => [
        l.id,
        {
          id: l.id,
          title: l.title,
          ...(l.on ? { on: this.#trigger(l.on) } : {}),
          subject: l.subject ?? 'member',
          period: l.period ?? 'year',
          rungs: [...l.rungs].sort((a, b) => a.level - b.level),
        },
      ]),
    );
    const rankings: RankingPlan[] = (c.rankings ?? []).map((r) => {
      const at = calendar.endOfDay(r.at);
      if (at === undefined) throw invalid(`ranking date "${r.at}"`);
      const first = Math.min(at, end);
      // 周期: once in each cycle, on that cycle's scores (its evaluations are named by its label).
      const byCycle = cycles?.map((cycle) => ({
        at: Math.min(calendar.shifted(cycle.months).endOfDay(r.at) ?? at, end),
        weights: cycle.index === 0 ? r.weights : weightsInCycle(r.weights, cycle.label, (id) => this.#items.has(id)),
      }));
      return {
        id: r.id,
        title: r.title,
        subject: r.subject,
        at: first,
        dates: byCycle ? byCycle.map((b) => b.at) : [first, ...calendar.laterYears(r.at, at, end)],
        weights: r.weights,
        ...(byCycle ? { weightsByDate: byCycle.map((b) => b.weights) } : {}),
        ...(r.eligible ? { eligible: condition(r.eligible) } : {}),
        ...(r.top ? { top: band(r.top) } : {}),
        ...(r.bottom ? { bottom: band(r.bottom) } : {}),
      };
    });
    // 等次评定: dated like a ranking (once per cycle in a cycled campaign), weights per cycle.
    const has = (id: string) => this.#items.has(id);
    const inCycles = (weights: Readonly<Record<string, number>>) =>
      cycles ? cycles.map((cycle) => (cycle.index === 0 ? weights : weightsInCycle(weights, cycle.label, has))) : [weights];
    const gradings: GradingPlan[] = (c.grades ?? []).map((g) => {
      if (g.at === undefined) return gradingPlan(g, [], inCycles);
      const at = calendar.endOfDay(g.at);
      if (at === undefined) throw invalid(`grading date "${g.at}"`);
      const dates = cycles
        ? cycles.map((cycle) => Math.min(calendar.shifted(cycle.months).endOfDay(g.at as string) ?? at, end))
        : [Math.min(at, end), ...calendar.laterYears(g.at, at, end)];
      return gradingPlan(g, dates, inCycles);
    });
    const cohorts = new Map<string, CohortPlan>();
    for (const cohort of c.cohorts ?? []) {
      const at = calendar.startOfDay(cohort.start);
      if (at === undefined) throw invalid(`cohort start "${cohort.start}"`);
      if (!cohorts.has(cohort.id)) cohorts.set(cohort.id, { id: cohort.id, title: cohort.title, start: at });
    }
    // 周期: a flag's year and a ladder's are the cycle (for 每年 the same anniversaries).
    const periods = cycles ? cycles.map((cycle) => cycle.start) : calendar.anniversaries(start, end);
    const cardMonths = cardMonthsPlan(c.items, calendar, periods, end);
    return {
      processId: c.id,
      version: this.#version,
      title: c.title,
      zone: calendar.zone,
      year: c.year,
      calendar,
      start,
      end,
      standing: c.standing === true,
      periods,
      ...(cycles ? { cycles: cycles.map(({ label, start: at }) => ({ label, start: at })) } : {}),
      phases,
      phaseById: new Map(phases.map((p) => [p.id, p])),
      campaignItemIds,
      items: this.#items,
      inspections: this.#inspections,
      uses: this.#uses,
      ladders,
      consequences: (c.consequences ?? []).map((q) => ({
        id: q.id,
        title: q.title,
        on: this.#trigger(q.on),
        ...(q.subject ? { subject: q.subject } : {}),
        flags: q.flags ?? [],
        actions: q.actions ?? [],
        ...(q.deduct ? { deduct: { evaluation: q.deduct.from, points: q.deduct.points } } : {}),
      })),
      rankings,
      gradings,
      cohorts,
      actions: this.#actions,
      flags: this.#flags,
      roles: this.#roles,
      ...(c.lights ? { lights: lightsPlan(c.lights) } : {}),
      ...(c.items?.length ? { trackedKinds: trackedKindsPlan(c.items) } : {}),
      ...(cardMonths ? { cardMonths } : {}),
      ...(c.extensions ? { extensions: extensionsPlan(c.extensions) } : {}),
    };
  }

  #vocabulary(source: CampaignDefinition | SubProcessDefinition): void {
    // The first declaration wins, as in validation: a campaign may re-title a sub-process's words.
    for (const r of source.roles ?? []) if (!this.#roles.has(r.id)) this.#roles.set(r.id, { id: r.id, title: r.title, level: r.level ?? 'unit' });
    for (const a of source.actions ?? [])
      if (!this.#actions.has(a.id)) this.#actions.set(a.id, { id: a.id, title: a.title, effect: a.effect, ...(a.by ? { by: a.by } : {}) });
    for (const f of source.flags ?? []) if (!this.#flags.has(f.id)) this.#flags.set(f.id, { id: f.id, title: f.title, lasts: f.lasts ?? 'year' });
  }

  #stage(
    id: string,
    title: string,
    body: StageBody,
    frame: { phase: string; start: number; end: number; scope: UseScope },
    collected: string[],
  ): StagePlan {
    const own: string[] = [];
    const add = (written: ItemPlan) => {
      const item = this.#inCycle(itemInScope(written, frame.scope));
      if (this.#items.has(item.id)) return;
      // Task records are keyed `item#occurrence@member`: an item id may not contain those marks.
      if (/[#@]/.test(item.id)) throw invalid(`work id "${item.id}" may not contain "#" or "@"`);
      this.#items.set(item.id, item);
      own.push(item.id);
      collected.push(item.id);
    };
    for (const task of body.tasks ?? []) {
      const item = this.#item(task, 'task', frame, task.due);
      const within = task.cascadeWithin === undefined ? undefined : parseDurationSpec(task.cascadeWithin);
      if (task.cascadeWithin !== undefined && !within) throw invalid(`cascade period "${task.cascadeWithin}"`);
      add(within ? { ...item, cascadeWithin: within } : item);
    }
    for (const duty of body.recurring ?? []) {
      const item = this.#item(duty, 'recurring', frame, undefined);
      add({ ...item, recurrence: this.#recurrence(duty.every, frame, duty) });
    }
    for (const e of body.evaluations ?? []) {
      const evaluation: ItemPlan = {
        id: e.id,
        title: e.title,
        kind: 'evaluation',
        owner: e.by,
        holder: 'unit',
        perMember: (e.subject ?? 'unit') === 'member',
        required: !e.every,
        phase: frame.phase,
        // Its one deadline, for an instance started before evaluations recurred (see `recurs`).
        ...this.#due(e.due, frame),
        stageEnd: frame.end,
        scale: e.scale ?? { min: 0, max: 100 },
      };
      // `every:` (每季度评比检查, 每年考核): one scoring per occurrence, each its own task `id#n`, due on
      // `due`'s month-day in the occurrence's year, else when the next occurrence starts.
      add(e.every ? { ...evaluation, recurrence: this.#recurrence(e.every, frame, { ...(e.due ? { dueDay: e.due } : {}) }) } : evaluation);
    }
    for (const i of body.inspections ?? []) {
      // 定期检查 (`every:`): each occurrence is an inspection of each subject the inspector owes, done
      // when it records a finding or a clean result for that period (inspections.ts), overdue when
      // the period ends without one. It holds no phase open (not required): the inspector's lapse
      // is not the unit's work.
      if (i.every)
        add({
          id: i.id,
          title: i.title,
          kind: 'inspection',
          owner: i.by,
          holder: 'unit',
          perMember: (i.subject ?? 'unit') === 'member',
          required: false,
          phase: frame.phase,
          dueAt: frame.end,
          stageEnd: frame.end,
          recurrence: this.#recurrence(i.every, frame, {}),
        });
      const within = parseDurationSpec(i.rectifyWithin);
      if (!within) throw invalid(`rectification period "${i.rectifyWithin}"`);
      // A loop declared again (in two workstreams of a phase) runs where it is declared; a sub-process
      // that runs more than once has a loop per use (`考评2007/督查`).
      const key = this.#cycleKey(keyIn(frame.scope, i.id));
      const known = this.#inspections.get(key);
      if (known) {
        if (!known.phases.includes(frame.phase)) (known.phases as string[]).push(frame.phase);
      } else
        this.#inspections.set(key, {
          id: key,
          title: i.title,
          by: i.by,
          subject: i.subject ?? 'unit',
          phases: [frame.phase],
          rectifyWithin: within,
          reinspect: i.reinspect ?? true,
          maxRounds: i.maxRounds ?? 2,
          ...(i.onFinding ? { onFinding: outcome(i.onFinding) } : {}),
          ...(i.onFailed ? { onFailed: outcome(i.onFailed) } : {}),
          ...(i.onExhausted ? { onExhausted: outcome(i.onExhausted) } : {}),
        });
    }
    const workstreams = (body.workstreams ?? []).map((w) => this.#stage(w.id, w.title, w, frame, collected));
    const uses = (body.uses ?? []).map((u) => {
      const sub = this.#library.get(u.use);
      if (!sub) throw invalid(`sub-process "${u.use}" is not in the bundle`);
      const due = u.due ? this.#due(u.due, frame).dueAt : undefined;
      const scope = scopeOfUse(frame.scope, u, sub, this.#repeated);
      const inner = { ...frame, end: due ?? frame.end, scope };
      const useItems: string[] = [];
      const id = this.#cycleKey(keyIn(frame.scope, useName(u)));
      const plan: UsePlan = {
        id,
        subprocess: u.use,
        title: u.title ?? sub.title,
        mode: sub.mode ?? 'parallel',
        // Its own work beside its parts, workstreams included: they run in parallel with the parts.
        body: this.#stage(id, sub.title, sub, inner, useItems),
        parts: (sub.parts ?? []).map((p) => this.#stage(keyIn(scope, p.id), p.title, p, inner, useItems)),
        itemIds: useItems,
      };
      collected.push(...useItems);
      this.#uses.set(plan.id, plan);
      return plan;
    });
    return { id, title, itemIds: own, workstreams, uses };
  }

  /**
   * The occurrences of a recurrence inside its stage (and `from`..`until`) and the due time of each:
   * `dueWithin` after its start (its first day counted: `spanFrom`), else the end of `dueDay` (a month-day) on or after its start, else
   * when the next occurrence starts (the last one: a period after its start, within the stage). A
   * calendar form's occurrences are its calendar periods, due by its own rule (每月5日前: the 5th of
   * the next month, which for the stage's last month may lie after the stage: the text says so).
   */
  #recurrence(
    every: string,
    frame: { start: number; end: number },
    options: { from?: string; until?: string; dueWithin?: string; dueDay?: string; missed?: RecurrencePlan['missed'] },
  ): RecurrencePlan {
    const calendar = this.#calendar;
    const from = (options.from ? this.#dates.startOfDay(options.from) : undefined) ?? frame.start;
    const until = (options.until ? this.#dates.endOfDay(options.until) : undefined) ?? frame.end;
    const [first, last] = [Math.max(from, frame.start), Math.min(until, frame.end)];
    // A calendar form (每季度末, 每月5日前) has calendar periods, each due by its own rule unless `dueWithin` or `due` says otherwise.
    const periods = calendar.calendarOccurrences(every, first, last);
    const starts = periods?.starts ?? calendar.occurrences(every, first, last);
    const within = options.dueWithin ? parseDurationSpec(options.dueWithin) : undefined;
    const period = parseRecurrenceSpec(every);
    const dues = starts.map((s, i) => {
      // The occurrence's first day is its own: "10天" from 1 January is 1–10 January.
      if (within) return calendar.spanFrom(s, within);
      const day = options.dueDay === undefined ? undefined : calendar.endOfDayFrom(options.dueDay, s);
      if (day !== undefined) return Math.min(day, frame.end);
      const own = periods?.dues[i];
      if (own !== undefined) return own;
      const next = starts[i + 1];
      if (next !== undefined) return next;
      return 'error' in period ? frame.end : Math.min(calendar.addDuration(s, period.period) - 86_400_000, frame.end);
    });
    return { every, starts, dues, missed: options.missed ?? 'fire-once-late' };
  }

  #item(work: WorkItem, kind: 'task' | 'recurring', frame: { phase: string; end: number }, due: string | undefined): ItemPlan {
    const role = this.#roles.get(work.owner);
    const level = role?.level ?? 'unit';
    const remind = work.remindBefore ? parseDurationSpec(work.remindBefore) : undefined;
    return {
      id: work.id,
      title: work.title,
      kind,
      owner: work.owner,
      holder: level === 'office' ? 'office' : 'unit',
      perMember: work.subject === 'member' || level === 'member',
      required: work.required ?? true,
      ...(work.reportTo ? { reportTo: work.reportTo } : {}),
      phase: frame.phase,
      ...this.#due(due, frame),
      stageEnd: frame.end,
      ...(remind ? { remindBefore: remind } : {}),
      ...(work.onOverdue ? { onOverdue: outcome(work.onOverdue) } : {}),
    };
  }

  #due(text: string | undefined, frame: { end: number }): Pick<ItemPlan, 'due' | 'dueAt'> {
    if (!text) return { dueAt: frame.end };
    const spec = parseDueSpec(text);
    if (!spec) throw invalid(`due date "${text}"`);
    if (spec.kind === 'date') {
      const at = this.#dates.endOfDay(text);
      if (at === undefined) throw invalid(`due date "${text}"`);
      return { due: spec, dueAt: at };
    }
    // In a later cycle (周期) "after the start" counts from the cycle's start.
    if (spec.anchor === 'start') return { due: spec, dueAt: this.#calendar.addDuration(this.#cycle?.start ?? (this.#calendar.start as number), spec.duration) };
    return { due: spec };
  }

  /** 周期 — an item of the cycle being compiled (see `itemInCycle`). */
  #inCycle(item: ItemPlan): ItemPlan {
    return this.#cycle === undefined ? item : itemInCycle(item, this.#cycle.label, this.#campaignIds);
  }

  /** The key of an inspection loop or a use in the cycle being compiled. */
  #cycleKey(key: string): string {
    return this.#cycle === undefined ? key : cycleId(key, this.#cycle.label);
  }



  #trigger(trigger: Trigger): TriggerPlan {
    return { event: trigger.event, ...(trigger.when ? { when: condition(trigger.when) } : {}) };
  }
}

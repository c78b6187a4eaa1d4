import { Document, isMap, type Pair, type Scalar } from 'yaml';
import type { Behaviour, BehaviourOverride, Distribution, RectificationBehaviour, ScenarioFile } from '../model/scenario.js';
import { localTime } from '../errors/sim-error.js';
import { cmp } from '../stable-order.js';
import { setOwn } from '../own-keys.js';
import { fitSamples, type FitSamples, type KindSamples } from './fit-samples.js';
import type { LiveCampaign } from './live-campaign.js';
import { SCENARIO_LIMITS } from '../scenario/scenario-limits.js';

/** A scenario fitted to a campaign's history: the file's content and its YAML text, comments giving each estimate's sample. */
export interface FittedScenario {
  readonly scenario: ScenarioFile;
  readonly text: string;
}

/** Options of `fitScenario`. */
export interface FitScenarioOptions {
  /** The scenario's id (default `fit-<campaign>`). */
  readonly id?: string;
  /** The seed written (default 1). */
  readonly seed?: number;
  /** The language of the comments (default English). */
  readonly lang?: 'zh' | 'en';
  /** Where the schema lies, for the editor line at the top (default the published package's path). */
  readonly schema?: string;
}

/** A comment on one key of the written file (a dotted path), with its sample. */
interface Note {
  readonly path: readonly string[];
  readonly text: string;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
/** Rounded down, so shares that add up to at most 1 still do. */
const floor4 = (x: number) => Math.floor(x * 1e4) / 1e4;

/** The delay distribution the samples show: normal with their mean and standard deviation; fixed when they do not vary. */
function distributionOf(values: readonly number[]): Distribution | undefined {
  if (values.length === 0) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length < 2 ? 0 : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  return sd < 0.005 ? { kind: 'fixed', mean: round(mean, 2) } : { kind: 'normal', mean: round(mean, 2), sd: round(sd, 2) };
}

/** Pools the samples of several kinds. */
function pooled(kind: string, list: readonly KindSamples[]): KindSamples {
  const out: KindSamples = { kind, units: 0, members: 0, delays: [], due: 0, notDone: 0, complaints: 0, findings: 0, rounds: { onTime: 0, late: 0, failsReinspection: 0, never: 0 }, findingNotices: 0, otherNotices: 0, scores: new Map() };
  for (const s of list) {
    out.units += s.units;
    out.members += s.members;
    out.delays.push(...s.delays);
    out.due += s.due;
    out.notDone += s.notDone;
    out.complaints += s.complaints;
    out.findings += s.findings;
    for (const k of ['onTime', 'late', 'failsReinspection', 'never'] as const) out.rounds[k] += s.rounds[k];
    out.findingNotices += s.findingNotices;
    out.otherNotices += s.otherNotices;
    for (const [id, scores] of s.scores) out.scores.set(id, [...(out.scores.get(id) ?? []), ...scores]);
  }
  return out;
}

/**
 * 情景拟合 — a scenario estimated from a campaign's own history so far, per unit kind: the delay
 * from a task's opening to its completion (normal, from the tasks whose deadline has passed), the
 * share of those never done, verified complaints per member and month, findings per unit and
 * month of inspection time, how rectification rounds ended, notices, and the score of each
 * evaluation. `behaviour.default` pools the units (not the office); `behaviour.kinds` gives each
 * kind its own, and the office its tasks. The organisation is written as generated (units, members
 * per unit, kind shares), so the file validates and simulates on its own; `simulateFrom` uses the
 * campaign's own. Each estimate's sample is in a comment. The campaign must be read with
 * `keepHistory`.
 */
export async function fitScenario(live: LiveCampaign, options: FitScenarioOptions = {}): Promise<FittedScenario> {
  const samples = await fitSamples(live);
  const zh = options.lang === 'zh';
  const { plan } = samples;
  const notes: Note[] = [];
  const kinds = [...samples.kinds.values()].sort((a, b) => cmp(a.kind, b.kind));
  const units = kinds.filter((k) => k.kind !== 'office');
  const all = pooled('default', units);
  const needs = {
    scores: [...plan.items.values()].some((i) => i.kind === 'evaluation'),
    inspections: plan.inspections.size > 0,
    complaints: [...plan.ladders.values(), ...plan.consequences].some((r) => r.on?.event === 'complaint-verified'),
  };
  const base = ['behaviour', 'default'];
  const behaviour = behaviourOf(all, samples, needs, zh, base, notes, true) as Behaviour;
  const pooledDelay: AssumedDelay = {
    delay: behaviour.tasks.delay,
    en: " no task of this kind done yet: the delay of the units' pooled figure (not estimated)",
    zh: ' 此类单位尚无完成的任务：延迟取各单位合计的估计（未单独估计）',
  };
  const overrides: Record<string, BehaviourOverride> = {};
  for (const k of kinds) {
    // One kind of unit is the default itself; the office's own track has only tasks.
    if (k.kind !== 'office' && units.length < 2) continue;
    const path = ['behaviour', 'kinds', k.kind];
    const own = k.kind === 'office' ? tasksOnly(k, zh, path, notes, pooledDelay) : behaviourOf(k, samples, needs, zh, path, notes, false, pooledDelay);
    if (Object.keys(own).length > 0) setOwn(overrides, k.kind, own);
  }
  const membersPerUnit = all.units === 0 ? 0 : Math.round(all.members / all.units);
  const campaign = live.stored.campaign.id;
  // In the campaign's own zone, as the CLI shows its clock: 1 July 00:00 in Shanghai, not 30 June 16:00 UTC.
  const cut = `${localTime(plan.calendar, samples.at)} (${plan.calendar.zone})`;
  const scenario: ScenarioFile = {
    kind: 'scenario',
    id: options.id ?? fittedId(campaign),
    title: zh ? `${plan.title} — 由活动 ${campaign} 截至 ${cut} 的记录拟合` : `${plan.title} — fitted to campaign ${campaign}'s history up to ${cut}`,
    process: plan.processId,
    seed: options.seed ?? 1,
    organisation: {
      units: Math.max(1, all.units),
      membersPerUnit,
      ...(units.length > 1 ? { kinds: units.map((k) => ({ id: k.kind, share: round(k.units / Math.max(1, all.units), 4) })) } : {}),
    },
    behaviour: { default: behaviour, ...(Object.keys(overrides).length > 0 ? { kinds: overrides } : {}) },
  };
  return { scenario, text: render(scenario, notes, samples, cut, zh, options.schema ?? '@luoshi/sim/schema/scenario.schema.json') };
}

/** The behaviour one kind's samples show (`whole`: every field the campaign needs, with a stated assumption where nothing was seen). */
function behaviourOf(
  s: KindSamples,
  all: FitSamples,
  needs: { scores: boolean; inspections: boolean; complaints: boolean },
  zh: boolean,
  path: readonly string[],
  notes: Note[],
  whole: boolean,
  defaultDelay?: AssumedDelay,
): BehaviourOverride {
  // With no task done, the default assumes a delay; a kind whose tasks fell due undone keeps its own never-done share.
  const out: Record<string, unknown> = { ...tasksOnly(s, zh, path, notes, whole ? ASSUMED_DELAY : defaultDelay) };
  const memberMonths = s.members * all.months;
  if (needs.complaints || s.complaints > 0) {
    out.complaintsPerMemberPerMonth = memberMonths > 0 ? round(s.complaints / memberMonths, 6) : 0;
    notes.push({ path: [...path, 'complaintsPerMemberPerMonth'], text: zh ? ` ${s.complaints} 件查实投诉 / ${round(memberMonths, 1)} 人月${memberMonths > 0 ? '' : NONE_ZH}` : ` ${counted(s.complaints, 'verified complaint', 'verified complaints')} / ${counted(round(memberMonths, 1), 'member-month', 'member-months')}${memberMonths > 0 ? '' : NONE_EN}` });
  }
  if (needs.inspections) {
    const unitMonths = s.units * all.inspectionMonths;
    out.findingsPerUnitPerMonth = unitMonths > 0 ? round(s.findings / unitMonths, 6) : 0;
    notes.push({ path: [...path, 'findingsPerUnitPerMonth'], text: zh ? ` ${s.findings} 个检查发现 / ${round(unitMonths, 1)} 单位月（检查开展期间）${unitMonths > 0 ? '' : NONE_ZH}` : ` ${counted(s.findings, 'finding', 'findings')} / ${counted(round(unitMonths, 1), 'unit-month', 'unit-months')} of inspection time${unitMonths > 0 ? '' : NONE_EN}` });
    const r = s.rounds;
    const judged = r.onTime + r.late + r.failsReinspection + r.never;
    if (judged > 0 || whole) {
      const rectification: RectificationBehaviour = judged > 0 ? { onTime: floor4(r.onTime / judged), late: floor4(r.late / judged), failsReinspection: floor4(r.failsReinspection / judged) } : { onTime: 1, late: 0, failsReinspection: 0 };
      out.rectification = rectification;
      notes.push({
        path: [...path, 'rectification'],
        text:
          judged > 0
            ? zh ? ` ${judged} 轮整改：按期 ${r.onTime}，逾期 ${r.late}，复查未通过 ${r.failsReinspection}，未整改 ${r.never}` : ` ${counted(judged, 'round', 'rounds')}: ${r.onTime} on time, ${r.late} late, ${r.failsReinspection} failed re-inspection, ${r.never} never`
            : zh ? ' 尚无可判定的整改轮次：假定按期整改（未估计）' : ' no round judged yet: assumed rectified on time (not estimated)',
      });
    }
  }
  if (s.findingNotices > 0 || s.otherNotices > 0) {
    out.notifications = {
      ...(s.findings > 0 ? { perFinding: Math.min(1, floor4(s.findingNotices / s.findings)) } : {}),
      ...(s.otherNotices > 0 && memberMonths > 0 ? { perMemberPerMonth: round(s.otherNotices / memberMonths, 6) } : {}),
    };
    notes.push({ path: [...path, 'notifications'], text: zh ? ` 因检查发现通报 ${s.findingNotices} 次 / ${s.findings} 个发现；其他通报 ${s.otherNotices} 次 / ${round(memberMonths, 1)} 人月` : ` ${counted(s.findingNotices, 'notice', 'notices')} for ${counted(s.findings, 'finding', 'findings')}; ${counted(s.otherNotices, 'other notice', 'other notices')} / ${counted(round(memberMonths, 1), 'member-month', 'member-months')}` });
  }
  if (needs.scores) {
    const everything = [...s.scores.values()].flat();
    const fallback = distributionOf(everything);
    const evaluations: Record<string, Distribution> = {};
    for (const [id, scores] of [...s.scores].sort(([a], [b]) => cmp(a, b))) {
      const d = distributionOf(scores);
      if (!d) continue;
      setOwn(evaluations, id, d);
      notes.push({ path: [...path, 'scores', 'evaluations', id], text: zh ? ` ${scores.length} 个评分` : ` ${counted(scores.length, 'score', 'scores')}` });
    }
    if (fallback || whole) {
      out.scores = { default: fallback ?? { kind: 'fixed', mean: 60 }, ...(Object.keys(evaluations).length > 0 ? { evaluations } : {}) };
      notes.push({ path: [...path, 'scores', 'default'], text: fallback ? (zh ? ` 全部 ${everything.length} 个评分` : (everything.length === 1 ? ' 1 score, the only one given' : ` all ${everything.length} scores`)) : zh ? ' 尚无评分：假定 60 分（未估计）' : ' no score given yet: assumed 60 (not estimated)' });
    }
  }
  return out as BehaviourOverride;
}

/** A delay written where no task was done to estimate one from, with what it says of itself. */
interface AssumedDelay {
  readonly delay: Distribution;
  readonly en: string;
  readonly zh: string;
}

/** A count with its English noun: "1 task", "0 tasks", "2 tasks", "1.5 member-months" (Chinese has no plural). */
function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Said of a rate with no time to count it over: the 0 written is an assumption, not a measure. */
const NONE_EN = ': nothing to count yet, assumed none (not estimated)';
const NONE_ZH = '：尚无可计的时间，假定为零（未估计）';

const ASSUMED_DELAY: AssumedDelay = { delay: { kind: 'fixed', mean: 0 }, en: ' no task done yet: assumed done the day it opens (not estimated)', zh: ' 尚无完成的任务：假定开放当天完成（未估计）' };

/**
 * The tasks of one kind: the delay of those done, the share never done, with their samples. With
 * none done, the `assumed` delay (if any) stands in, so the never-done share of tasks that fell due
 * undone is still written (a kind that left every task undone is not read as the pooled default);
 * with nothing due and nothing assumed, nothing is written.
 */
function tasksOnly(s: KindSamples, zh: boolean, path: readonly string[], notes: Note[], assumed?: AssumedDelay): BehaviourOverride {
  const delay = distributionOf(s.delays);
  if (!delay && (assumed === undefined || (s.due === 0 && assumed !== ASSUMED_DELAY))) return {};
  if (delay) notes.push({ path: [...path, 'tasks', 'delay'], text: zh ? ` 开放至完成的天数：${s.delays.length} 项已到期且已完成的任务` : ` days from opening to completion: ${counted(s.delays.length, 'task', 'tasks')} done whose deadline has passed` });
  else notes.push({ path: [...path, 'tasks', 'delay'], text: zh ? (assumed as AssumedDelay).zh : (assumed as AssumedDelay).en });
  notes.push({ path: [...path, 'tasks', 'neverProbability'], text: zh ? ` ${s.notDone} / ${s.due} 项已到期任务未完成` : ` ${s.notDone} of ${s.due === 1 ? '1 task past its deadline' : `${s.due} tasks past their deadline`} not done` });
  // A copy: the same object twice would be written as a YAML anchor and alias.
  return { tasks: { delay: delay ?? { ...(assumed as AssumedDelay).delay }, neverProbability: s.due === 0 ? 0 : floor4(s.notDone / s.due) } };
}

/**
 * `fit-<campaign>` as a scenario id may be written: a campaign id may be any text without "/", so
 * control and invisible characters become `_` and the id is cut to `SCENARIO_LIMITS.idLength`
 * characters (never inside a surrogate pair), and the file still validates.
 */
function fittedId(campaign: string): string {
  const chars = Array.from(`fit-${campaign}`.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '_'));
  let id = '';
  for (const char of chars) {
    if (id.length + char.length > SCENARIO_LIMITS.idLength) break;
    id += char;
  }
  return id;
}

/** The YAML text: the schema line, a header, the scenario with distributions on one line and each note before its key. */
function render(scenario: ScenarioFile, notes: readonly Note[], samples: FitSamples, cut: string, zh: boolean, schema: string): string {
  const doc = new Document(scenario);
  const header = zh
    ? [` 由 luoshi scenario fit 生成：截至 ${cut} 的记录，自活动开始 ${round(samples.months, 2)} 个月。`, ' 任务按开放至完成的天数拟合（正态）；截止后才完成的记录尚未到来，故延迟略短、未办比例略高。']
    : [` Written by luoshi scenario fit from the history up to ${cut}, ${counted(round(samples.months, 2), 'month', 'months')} from the campaign start.`, ' Delays are fitted (normal) from tasks whose deadline has passed; completions still to come make delays a little short and the never-done share a little high.'];
  doc.commentBefore = header.join('\n');
  for (const note of notes) {
    const parent = doc.getIn(note.path.slice(0, -1), true);
    if (!isMap(parent)) continue;
    const pair = parent.items.find((p: Pair) => (p.key as Scalar).value === note.path[note.path.length - 1]);
    if (pair) (pair.key as Scalar).commentBefore = note.text;
  }
  // A distribution on one line, as the shipped scenarios write it.
  const flow = (node: unknown): void => {
    if (!isMap(node)) return;
    if (node.items.some((p) => (p.key as Scalar).value === 'kind' && ['normal', 'uniform', 'exponential', 'fixed'].includes(String((p.value as Scalar).value)))) node.flow = true;
    else for (const p of node.items) flow(p.value);
  };
  flow(doc.get('behaviour', true));
  return `# yaml-language-server: $schema=${schema}\n${doc.toString({ lineWidth: 0 })}`;
}

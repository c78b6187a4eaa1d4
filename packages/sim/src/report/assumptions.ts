import type { Behaviour, DecisionBehaviour, Distribution, GeneratedOrganisation, ScenarioFile } from '../model/scenario.js';

/**
 * 情景假设 — a scenario in words with units, for the report's assumptions table:
 * `behaviour.default.tasks.delay { normal, mean 35 }` reads "任务完成时间：平均35天（正态分布，标准差8天）".
 * A key this module does not know (a newer scenario key) still shows, as its dotted path and value,
 * so nothing the run assumed is left out.
 */

type Lang = 'zh' | 'en';

/** One assumption: what it is about and its value in words. */
export interface Assumption {
  readonly topic: string;
  readonly value: string;
}

/** The scenario's assumptions in words, in the order a reader meets them: organisation, default behaviour, each kind's, decisions. */
export function assumptionsInWords(scenario: ScenarioFile, lang: Lang): Assumption[] {
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const out: Assumption[] = [];
  if (scenario.organisation) out.push(...organisationWords(scenario.organisation, lang));
  if (scenario.organisationFile !== undefined) out.push({ topic: t('组织结构文件', 'Organisation file'), value: scenario.organisationFile });
  out.push(...behaviourWords(scenario.behaviour.default, lang, ''));
  for (const [kind, behaviour] of Object.entries(scenario.behaviour.kinds ?? {})) out.push(...behaviourWords(behaviour, lang, `${kind}：`));
  for (const [id, decision] of Object.entries(scenario.decisions ?? {})) out.push(decisionWords(id, decision, lang));
  return out;
}

/** A number without trailing noise: at most 4 decimals. */
function n(x: number): string {
  return String(Math.round(x * 10000) / 10000);
}

/** A probability as a percentage: `0.03` → `3%`. */
export function percentWords(x: number): string {
  return `${n(x * 100)}%`;
}

/** A distribution in words with its unit (天 / days, 分 / points). */
export function distributionWords(d: Distribution, unit: 'days' | 'points', lang: Lang): string {
  const u = unit === 'days' ? (lang === 'zh' ? '天' : ' days') : lang === 'zh' ? '分' : ' points';
  const v = (x: number | undefined) => `${n(x ?? 0)}${u}`;
  if (lang === 'zh') {
    if (d.kind === 'normal') return `平均${v(d.mean)}（正态分布，标准差${v(d.sd)}）`;
    if (d.kind === 'uniform') return `${n(d.min ?? 0)}–${v(d.max)}（均匀分布）`;
    if (d.kind === 'exponential') return `平均${v(d.mean)}（指数分布）`;
    return `固定${v(d.mean)}`;
  }
  if (d.kind === 'normal') return `mean ${v(d.mean)} (normal, sd ${v(d.sd)})`;
  if (d.kind === 'uniform') return `${n(d.min ?? 0)}–${v(d.max)} (uniform)`;
  if (d.kind === 'exponential') return `mean ${v(d.mean)} (exponential)`;
  return `always ${v(d.mean)}`;
}

function organisationWords(o: GeneratedOrganisation, lang: Lang): Assumption[] {
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const out: Assumption[] = [{ topic: t('单位', 'Units'), value: t(`${o.units}个，每个单位${o.membersPerUnit}人`, `${o.units}, ${o.membersPerUnit} members each`) }];
  if (o.office !== undefined) out.push({ topic: t('办公室', 'Office'), value: o.office });
  const shares = (list: readonly { id: string; share: number }[]) => {
    const total = list.reduce((a, k) => a + k.share, 0) || 1;
    return list.map((k) => `${k.id} ${percentWords(k.share / total)}`).join(t('，', ', '));
  };
  if (o.kinds && o.kinds.length > 0) out.push({ topic: t('单位类型', 'Kinds of unit'), value: shares(o.kinds) });
  if (o.cohorts && o.cohorts.length > 0) out.push({ topic: t('批次', 'Cohorts'), value: shares(o.cohorts) });
  if (o.nesting) {
    const kind = o.nesting.kind ?? 'group';
    out.push({ topic: t('中间层级', 'Intermediate units'), value: t(`${o.nesting.groups}个（${kind}）`, `${o.nesting.groups} (${kind})`) });
  }
  return out;
}

function behaviourWords(b: Partial<Behaviour>, lang: Lang, prefix: string): Assumption[] {
  const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const out: Assumption[] = [];
  const add = (zh: string, en: string, value: string) => out.push({ topic: `${prefix}${t(zh, en)}`, value });
  for (const [key, value] of Object.entries(b)) {
    if (value === undefined) continue;
    if (key === 'tasks' && b.tasks) {
      add('任务完成时间', 'Time to complete a task', t(`自任务开始起${distributionWords(b.tasks.delay, 'days', lang)}`, `${distributionWords(b.tasks.delay, 'days', lang)} from its opening`));
      add('任务从不完成的概率', 'Share of tasks never done', percentWords(b.tasks.neverProbability));
    } else if (key === 'complaintsPerMemberPerMonth' && b.complaintsPerMemberPerMonth !== undefined) {
      add('查实投诉', 'Verified complaints', t(`每人每月${n(b.complaintsPerMemberPerMonth)}件`, `${n(b.complaintsPerMemberPerMonth)} per member per month`));
    } else if (key === 'scores' && b.scores) {
      add('得分（默认）', 'Scores (default)', distributionWords(b.scores.default, 'points', lang));
      for (const [evaluation, d] of Object.entries(b.scores.evaluations ?? {})) add(`得分（${evaluation}）`, `Scores (${evaluation})`, distributionWords(d, 'points', lang));
    } else if (key === 'findingsPerUnitPerMonth' && b.findingsPerUnitPerMonth !== undefined) {
      add('检查发现问题', 'Inspection findings', t(`每个单位每月${n(b.findingsPerUnitPerMonth)}个`, `${n(b.findingsPerUnitPerMonth)} per unit per month`));
    } else if (key === 'rectification' && b.rectification) {
      const r = b.rectification;
      const never = Math.max(0, 1 - r.onTime - r.late - r.failsReinspection);
      add(
        '整改',
        'Rectification',
        t(
          `按期整改${percentWords(r.onTime)}，逾期1–15天整改${percentWords(r.late)}，复查不通过${percentWords(r.failsReinspection)}，不整改${percentWords(never)}`,
          `on time ${percentWords(r.onTime)}, 1–15 days late ${percentWords(r.late)}, fails re-inspection ${percentWords(r.failsReinspection)}, never ${percentWords(never)}`,
        ),
      );
    } else if (key === 'items' && b.items) {
      const i = b.items;
      add(
        '督办事项',
        'Items tracked to closure',
        t(
          `每个单位每月交办${n(i.openedPerUnitPerMonth)}件，平均${n(i.resolveDays)}天报办结，核查通过率${percentWords(i.passRate)}`,
          `${n(i.openedPerUnitPerMonth)} opened per unit per month, reported resolved after ${n(i.resolveDays)} days on average, ${percentWords(i.passRate)} pass their check`,
        ),
      );
      // 未报送: a month's figures left unsent (carded at the month's turn where the kind says every: 每月).
      if (i.unreported !== undefined) add('进度未报送', 'Progress reports not sent', t(`每月每项${percentWords(i.unreported)}`, `${percentWords(i.unreported)} of an item's monthly reports`));
    } else if (key === 'notifications' && b.notifications) {
      const x = b.notifications;
      if (x.perFinding !== undefined) add('发现问题后被通报', 'Findings circulated in a notice', percentWords(x.perFinding));
      if (x.delay !== undefined) add('通报时间', 'Time to the notice', t(`发现问题后${distributionWords(x.delay, 'days', lang)}`, `${distributionWords(x.delay, 'days', lang)} after the finding`));
      if (x.perMemberPerMonth !== undefined) add('其他通报', 'Other notices', t(`每人每月${n(x.perMemberPerMonth)}次`, `${n(x.perMemberPerMonth)} per member per month`));
    } else {
      // A key this module does not know yet: shown as written rather than left out.
      for (const [path, text] of flatten(value, key)) out.push({ topic: `${prefix}${path}`, value: text });
    }
  }
  return out;
}

function decisionWords(id: string, d: DecisionBehaviour, lang: Lang): Assumption {
  const options = Object.entries(d.options);
  const never = Math.max(0, 1 - options.reduce((a, [, p]) => a + p, 0));
  const list = options.map(([option, p]) => `${option} ${percentWords(p)}`).join(lang === 'zh' ? '，' : ', ');
  const when = distributionWords(d.delay, 'days', lang);
  const scope = (d.scope ?? 'campaign') === 'campaign' ? (lang === 'zh' ? '领导小组统一决定' : 'decided once for every unit') : lang === 'zh' ? '各单位分别决定' : 'each unit decides';
  return lang === 'zh'
    ? { topic: `决定：${id}`, value: `${list}，不作决定 ${percentWords(never)}；进入阶段后${when}；${scope}` }
    : { topic: `Decision: ${id}`, value: `${list}, never decided ${percentWords(never)}; ${when} after entering the phase; ${scope}` };
}

/** A value as rows of dotted key paths and values; lists keep their index. */
function flatten(value: unknown, path: string): [string, string][] {
  if (value === null || typeof value !== 'object') return [[path, String(value)]];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) return [[path, Array.isArray(value) ? '[]' : '{}']];
  return entries.flatMap(([k, v]) => flatten(v, `${path}.${k}`));
}

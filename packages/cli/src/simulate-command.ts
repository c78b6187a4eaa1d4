import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatDiagnostic, LuoshiError, skippedNote, validateProcessPaths, type Language } from '@luoshi/dsl';
import { checkComparedScenarios, compareScenarios, loadScenarioFile, monteCarlo, renderReport, simError, type ComparedScenario, type ScenarioComparison, SIMULATION_CAMPAIGN_ID, type LightMonthSpread, type MonteCarloResult, type ScenarioDiagnostic, type ScenarioFile, type Spread, unitsByRisk } from '@luoshi/sim';
import { createKyselyStore } from '@luoshi/store-kysely';
import { DateTime } from 'luxon';
import { comparisonText } from './compare-text.js';
import { checkOutputs, writeCsvExports, writeWorkbook } from './simulation-exports.js';
import { CliError } from './cli-error.js';
import { textTable } from './text-table.js';
import { runOptions, type SimulationOptions } from './simulation-options.js';

/** What the files written of a result or a comparison depend on. */
type OutputOptions = Pick<SimulationOptions, 'out' | 'xlsx' | 'lang' | 'reportLang'>;

/** What `luoshi simulate` needs from a campaign file: the shared options, and what only a run from the start has. */
export interface SimulateCommandOptions extends SimulationOptions {
  /** The campaign file; sub-processes are looked up beside it. */
  readonly file: string;
  /** A SQLite file to keep the run in (campaign id `sim`), for `luoshi status/history/tasks`; one run only; a run stopped at `until` stands there. */
  readonly db?: string;
  /** Years from the start to simulate (default: the whole campaign; a standing mechanism, 3). */
  readonly years?: number;
}

/**
 * What the command printed and how it exits: 0 done, 1 invalid process or scenario file, or a run
 * that could not start, 2 options that do not fit together (`--db` with more than one run).
 */
export interface SimulateCommandOutcome {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Validates the campaign and the scenario, runs the scenario `runs` times (`monteCarlo`) and
 * renders the result as a text summary or JSON, optionally writing `report.json` and the HTML
 * report (`renderReport`) `report.html` to a directory.
 * Invalid files come back as `file:line:column` diagnostics on stderr with exit code 1.
 */
export async function simulateCommand(options: SimulateCommandOptions): Promise<SimulateCommandOutcome> {
  const { lang } = options;
  const files = typeof options.scenario === 'string' ? [options.scenario] : options.scenario;
  if (options.db !== undefined && options.runs * files.length !== 1) {
    // Several scenarios are several runs: a store keeps one.
    const error = simError('SIM_STORE_ONE_RUN', { runs: options.runs * files.length });
    return { exitCode: 2, stdout: '', stderr: `${error.code} ${error.localized(lang)}\n` };
  }
  try {
    checkOutputs(options.out, options.xlsx);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { exitCode: 2, stdout: '', stderr: `${error.code} ${error.localized(lang)}\n` };
  }
  const validation = validateProcessPaths([options.file, dirname(options.file)]);
  const own = validation.files.find((f) => f.file === options.file);
  if (!own?.ok || own.definition?.kind !== 'campaign') {
    const errors = (own?.diagnostics ?? validation.diagnostics).filter((d) => d.severity === 'error');
    const lines = errors.length > 0 ? errors.map((d) => formatDiagnostic(d, lang)) : [lang === 'zh' ? `${options.file} 不是活动文件` : `${options.file} is not a campaign`];
    return { exitCode: 1, stdout: '', stderr: `${lines.join('\n')}\n` };
  }
  if (files.length > 1) return compareCommand(options, files, validation, own.definition.id);
  const loaded = loadScenarioFile(files[0] ?? '');
  if (!loaded.ok || !loaded.scenario) {
    return { exitCode: 1, stdout: '', stderr: `${loaded.diagnostics.map((d) => formatScenarioDiagnostic(d, lang)).join('\n')}\n` };
  }
  let result: MonteCarloResult;
  try {
    // The run owns the store and closes it; the CLI only knows which database to open.
    const store = options.db === undefined ? undefined : await createKyselyStore({ sqlite: options.db });
    result = await monteCarlo({
      definitions: validation,
      processId: own.definition.id,
      scenario: loaded.scenario,
      ...(loaded.organisation ? { organisation: loaded.organisation } : {}),
      ...runOptions(options),
      ...(options.years === undefined ? {} : { years: options.years }),
      ...(store ? { store } : {}),
    });
    if (options.db !== undefined) await keepOnItsClock(options.db, options.until);
  } catch (error) {
    if (!(error instanceof LuoshiError)) throw error;
    return { exitCode: 1, stdout: '', stderr: `${error.code} ${error.localized(lang)}\n` };
  }
  const office = loaded.scenario.organisation?.office ?? 'office';
  const { json, text } = await writeResult(options, result, loaded.scenario, office);
  let written = text;
  if (options.db !== undefined) {
    const id = SIMULATION_CAMPAIGN_ID;
    written +=
      lang === 'zh'
        ? `运行已保存到 ${options.db}，活动编号 ${id}（luoshi status ${id} --db ${options.db}）\n`
        : `Run stored in ${options.db} as campaign ${id} (luoshi status ${id} --db ${options.db})\n`;
  }
  // Files left out of the folder are said on stderr: stdout may be the JSON result being redirected.
  const notes = (validation.skipped ?? []).map((s) => `${skippedNote(s, lang)}\n`).join('');
  return { exitCode: 0, stdout: options.format === 'json' ? json : summarise(result, lang) + written, stderr: notes };
}

/**
 * 情景对比: every scenario file validated (all diagnostics at once), then `compareScenarios`, as
 * the comparison table or its JSON; `--out` writes the comparison as `report.json` and the
 * baseline's report with the comparison view as `report.html`.
 */
async function compareCommand(options: SimulateCommandOptions, files: readonly string[], definitions: Parameters<typeof monteCarlo>[0]['definitions'], processId: string): Promise<SimulateCommandOutcome> {
  const { lang } = options;
  const loaded = files.map((f) => loadScenarioFile(f));
  const bad = loaded.filter((l) => !l.ok || !l.scenario);
  if (bad.length > 0) {
    return { exitCode: 1, stdout: '', stderr: `${bad.flatMap((l) => l.diagnostics.map((d) => formatScenarioDiagnostic(d, lang))).join('\n')}\n` };
  }
  const scenarios: ComparedScenario[] = loaded.flatMap((l) => (l.scenario ? [{ scenario: l.scenario, ...(l.organisation ? { organisation: l.organisation } : {}) }] : []));
  let comparison: ScenarioComparison;
  try {
    // Before any run, naming the files: two scenarios under one id are refused.
    checkComparedScenarios(scenarios, files);
    comparison = await compareScenarios({
      definitions,
      processId,
      scenarios,
      ...runOptions(options),
      ...(options.years === undefined ? {} : { years: options.years }),
    });
  } catch (error) {
    if (!(error instanceof LuoshiError)) throw error;
    return { exitCode: 1, stdout: '', stderr: `${error.code} ${error.localized(lang)}\n` };
  }
  const office = scenarios[0]?.scenario.organisation?.office ?? 'office';
  const written = await writeComparison(options, comparison, scenarios[0]?.scenario, office);
  const notes = (definitions.skipped ?? []).map((s) => `${skippedNote(s, lang)}\n`).join('');
  return { exitCode: 0, stdout: options.format === 'json' ? written.json : comparisonText(comparison, lang) + written.text, stderr: notes };
}

/**
 * A comparison's files: with `out`, the comparison as `report.json`, the baseline's report with the
 * comparison view as `report.html`, and every scenario's rows in `results.csv` and `units.csv`; with
 * `xlsx`, the workbook with its `comparison` sheet. Returns the JSON and the lines saying what was written.
 */
export async function writeComparison(
  options: OutputOptions,
  comparison: ScenarioComparison,
  baselineScenario: ScenarioFile | undefined,
  office: string,
): Promise<{ readonly json: string; readonly text: string }> {
  const { lang } = options;
  const json = `${JSON.stringify(comparison, null, 2)}\n`;
  let written = '';
  const [baseline] = comparison.results;
  if (options.out !== undefined && baseline) {
    mkdirSync(options.out, { recursive: true });
    const path = join(options.out, 'report.json');
    const html = join(options.out, 'report.html');
    writeFileSync(path, json);
    writeFileSync(html, renderReport(baseline, { ...(baselineScenario ? { scenario: baselineScenario } : {}), lang: reportLanguage(options, baseline), comparison }));
    const [csv = '', units = ''] = writeCsvExports(options.out, comparison.results, office);
    written = lang === 'zh' ? `对比报告已写入 ${path}、${html}、${csv} 和 ${units}\n` : `Comparison written to ${path}, ${html}, ${csv} and ${units}\n`;
  }
  if (options.xlsx !== undefined) {
    await writeWorkbook(options.xlsx, comparison.results, office, comparison);
    written += lang === 'zh' ? `工作簿已写入 ${options.xlsx}\n` : `Workbook written to ${options.xlsx}\n`;
  }
  return { json, text: written };
}

/**
 * A result's files: with `out`, the result as `report.json`, its report as `report.html`, its rows in
 * `results.csv` and `units.csv`; with `xlsx`, the workbook. Returns the JSON and the lines saying what
 * was written.
 */
export async function writeResult(options: OutputOptions, result: MonteCarloResult, scenario: ScenarioFile | undefined, office: string): Promise<{ readonly json: string; readonly text: string }> {
  const { lang } = options;
  const json = `${JSON.stringify(result, null, 2)}\n`;
  let written = '';
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    const path = join(options.out, 'report.json');
    const html = join(options.out, 'report.html');
    writeFileSync(path, json);
    writeFileSync(html, renderReport(result, { ...(scenario ? { scenario } : {}), lang: reportLanguage(options, result) }));
    const [csv = '', units = ''] = writeCsvExports(options.out, [result], office);
    written = lang === 'zh' ? `报告已写入 ${path}、${html}、${csv} 和 ${units}\n` : `Report written to ${path}, ${html}, ${csv} and ${units}\n`;
  }
  if (options.xlsx !== undefined) {
    await writeWorkbook(options.xlsx, [result], office);
    written += lang === 'zh' ? `工作簿已写入 ${options.xlsx}\n` : `Workbook written to ${options.xlsx}\n`;
  }
  return { json, text: written };
}

/** The report's language: `--lang` when given, else Chinese for a campaign whose title is Chinese, else the messages' language. */
export function reportLanguage(options: Pick<SimulationOptions, 'lang' | 'reportLang'>, result: MonteCarloResult): Language {
  if (options.reportLang !== undefined) return options.reportLang;
  return /\p{Script=Han}/u.test(result.timeline.campaign) ? 'zh' : options.lang;
}

export function formatScenarioDiagnostic(d: ScenarioDiagnostic, lang: Language): string {
  const where = [d.file ?? '<input>', d.line, d.column].filter((x) => x !== undefined).join(':');
  const label = lang === 'zh' ? (d.severity === 'error' ? '错误' : '警告') : d.severity;
  return `${where}: ${label} ${d.code} ${d.message[lang]}`;
}

/** The text summary: what was run, then one table per kind of metric. */
export function summarise(r: MonteCarloResult, lang: Language): string {
  const zh = lang === 'zh';
  const many = r.runs > 1;
  const show = (s: Spread, as: (x: number) => string = String) => (many ? `${as(s.mean)} [${as(s.p5)}, ${as(s.p95)}]` : as(s.mean));
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const out: string[] = [];
  out.push(
    zh
      ? `情景 ${r.scenario}，活动 ${r.processId}，${r.organisation.units} 个单位 ${r.organisation.members} 人，运行 ${r.runs} 次（种子 ${r.seed}）`
      : `Scenario ${r.scenario}, campaign ${r.processId}, ${r.organisation.units} units with ${r.organisation.members} members, ${r.runs} run(s) (seed ${r.seed})`,
  );
  // The period is stored in UTC; show its first and last day where directives are issued (the end is exclusive).
  const day = (iso: string, shift = 0) => DateTime.fromISO(iso).plus({ milliseconds: shift }).setZone('Asia/Shanghai').toFormat('yyyy-MM-dd');
  out.push(`${zh ? '期间' : 'Period'}: ${day(r.period.start)} – ${day(r.period.end, -1)}`);
  if (many) out.push(zh ? '数值为平均值 [第5百分位, 第95百分位]' : 'Values are mean [p5, p95]');
  out.push('');

  out.push(zh ? '时限（按时完成率、逾期未办）' : 'Deadlines (on-time rate, never done)');
  out.push(
    textTable(
      zh ? ['事项', '阶段', '按时率', '逾期未办'] : ['item', 'phase', 'on time', 'never done'],
      Object.entries(r.deadlines).map(([item, d]) => [item, d.phase, show(d.onTimeRate, percent), show(d.overdue)]),
    ),
  );
  out.push(...unitsAtRiskText(r, zh, show, percent));
  out.push(zh ? '各阶段逾期任务' : 'Overdue tasks by phase');
  out.push(textTable(zh ? ['阶段', '任务'] : ['phase', 'tasks'], Object.entries(r.overdueByPhase).map(([p, s]) => [p, show(s)])));
  const rungs = Object.entries(r.ladders).flatMap(([ladder, levels]) => Object.entries(levels).map(([level, s]) => [ladder, level, show(s)]));
  out.push(zh ? '问责阶梯（到达该级的对象）' : 'Ladders (subjects reaching the rung)');
  out.push(textTable(zh ? ['阶梯', '级', '对象'] : ['ladder', 'rung', 'subjects'], rungs));
  const flags = Object.entries(r.flags).map(([f, s]) => [f, show(s)]);
  out.push(zh ? '标记' : 'Flags');
  out.push(textTable(zh ? ['标记', '对象'] : ['flag', 'subjects'], flags.length > 0 ? flags : [['-', '-']]));
  if (r.lights) out.push(...lightsText(r.lights, zh, show));
  // 督办事项: opened, struck off, escalated, still open at the end.
  if (r.items) {
    const n = (key: string) => show(r.items?.[key] ?? { mean: 0, p5: 0, p95: 0 });
    out.push(zh ? `督办事项：交办 ${n('opened')}，销号 ${n('closed')}，升级挂牌督办 ${n('escalated')}，未销号 ${n('open')}` : `Items: opened ${n('opened')}, closed ${n('closed')}, escalated ${n('escalated')}, still open ${n('open')}`);
    // …and by light at the end of the run (the last month end), for those that have a light.
    const lit = r.lights?.months.at(-1)?.items;
    if (lit) {
      const l = (light: string) => show((Object.hasOwn(lit, light) ? lit[light] : undefined) ?? { mean: 0, p5: 0, p95: 0 });
      out.push(zh ? `督办事项灯色（期末）：红 ${l('red')}，黄 ${l('yellow')}，绿 ${l('green')}，蓝 ${l('blue')}` : `Items by light at the end: red ${l('red')}, yellow ${l('yellow')}, green ${l('green')}, blue ${l('blue')}`);
    }
  }
  // 申请延期: accepted, granted, refused by the office, and refused by the engine by code.
  if (r.extensions) {
    const x = r.extensions;
    const codes = Object.entries(x.rejected).map(([code, s]) => `${code} ${show(s)}`).join(', ') || '-';
    out.push(
      zh
        ? `申请延期：受理 ${show(x.requested)}，批准 ${show(x.granted)}，不批准 ${show(x.refused)}；被拒绝 ${codes}`
        : `Extension requests: accepted ${show(x.requested)}, granted ${show(x.granted)}, refused by the office ${show(x.refused)}; refused by the engine ${codes}`,
    );
  }
  out.push(`${zh ? '被表彰' : 'Commended'}: ${show(r.commended)}; ${zh ? '被质询' : 'questioned'}: ${show(r.questioned)}`);
  out.push('');
  for (const [id, ranking] of Object.entries(r.rankings)) {
    const bottom = Object.entries(ranking.bottom)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([s, share]) => (many ? `${s} ${percent(share)}` : s));
    out.push(`${zh ? '评比' : 'Ranking'} ${id}: ${zh ? '参评' : 'ranked'} ${show(ranking.ranked)}; ${zh ? '末位' : 'bottom'} ${bottom.join(', ') || '-'}`);
  }
  const grades = Object.entries(r.grades ?? {}).flatMap(([grading, bands]) => Object.entries(bands).map(([grade, s]) => [grading, grade, show(s)]));
  if (grades.length > 0) {
    out.push(zh ? '等次（获评对象）' : 'Grades (subjects given each)');
    out.push(textTable(zh ? ['评定', '等次', '对象'] : ['grading', 'grade', 'subjects'], grades));
  }
  return `${out.join('\n')}\n`;
}

/** How many units the text summary lists as most at risk; the report and units.csv have every unit. */
const UNITS_AT_RISK = 10;

/**
 * 风险最高的单位: the ten units likeliest to leave a task undone by the end (`unitsByRisk`), with
 * their chance of it, such tasks, their chance of missing a deadline at all and their days late.
 * Nothing for a result written before units were recorded.
 */
function unitsAtRiskText(r: MonteCarloResult, zh: boolean, show: (s: Spread, as?: (x: number) => string) => string, percent: (x: number) => string): string[] {
  const units = r.units;
  if (units === undefined || Object.keys(units).length === 0) return [];
  const round1 = (x: number) => String(Math.round(x * 10) / 10);
  const rows = unitsByRisk(r)
    .slice(0, UNITS_AT_RISK)
    .flatMap((unit) => {
      const u = Object.hasOwn(units, unit) ? units[unit] : undefined;
      return u ? [[unit, percent(u.overdueChance), show(u.overdue, round1), percent(u.missedChance), show(u.daysLate, round1)]] : [];
    });
  return [
    zh ? `风险最高的单位（前 ${UNITS_AT_RISK} 个：逾期未完成的概率最高者在前）` : `Units most at risk (the ${UNITS_AT_RISK} likeliest to leave a task undone first)`,
    textTable(zh ? ['单位', '逾期未完成概率', '逾期未完成任务', '逾期概率（含逾期完成）', '逾期完成天数'] : ['unit', 'P(never done)', 'never done', 'P(deadline missed)', 'days late'], rows),
  ];
}

/** The most units whose board (三色图) the text summary prints; the JSON always has every unit's. */
const BOARD_UNITS = 40;

/**
 * 红黄绿灯: units by light at each month end, then the first run's board, one letter a month
 * (R red, Y yellow, G green, B blue; 红黄绿蓝 in Chinese).
 */
function lightsText(lights: NonNullable<MonteCarloResult['lights']>, zh: boolean, show: (s: Spread) => string): string[] {
  const out = [zh ? '月末亮灯（单位数）' : 'Lights at each month end (units)'];
  const colour = (m: LightMonthSpread, l: string) => show((Object.hasOwn(m.units, l) ? m.units[l] : undefined) ?? { mean: 0, p5: 0, p95: 0 });
  out.push(
    textTable(
      zh ? ['月份', '红灯', '黄灯', '绿灯', '蓝灯'] : ['month', 'red', 'yellow', 'green', 'blue'],
      lights.months.map((m) => [m.month, colour(m, 'red'), colour(m, 'yellow'), colour(m, 'green'), colour(m, 'blue')]),
    ),
  );
  const units = Object.entries(lights.board);
  if (units.length > 0 && units.length <= BOARD_UNITS) {
    const letter: Readonly<Record<string, string>> = zh ? { red: '红', yellow: '黄', green: '绿', blue: '蓝' } : { red: 'R', yellow: 'Y', green: 'G', blue: 'B' };
    out.push(zh ? `三色图（第一次运行，每月末一格，自 ${lights.months[0]?.month ?? ''} 起）` : `Three-colour board (first run, one mark per month end from ${lights.months[0]?.month ?? ''})`);
    out.push(textTable(zh ? ['单位', '灯色'] : ['unit', 'lights'], units.map(([unit, row]) => [unit, row.map((l) => letter[l] ?? '?').join('')])));
  }
  return out;
}

/**
 * Puts the kept run on a rehearsal clock (演练时钟) standing where the run ended (at `until` when
 * it stopped there), so no worker ever moves the simulated campaign by the wall clock;
 * `luoshi clock sim --advance` may go on with it, and `luoshi simulate --from` continue it.
 */
async function keepOnItsClock(db: string, until: number | undefined): Promise<void> {
  const store = await createKyselyStore({ sqlite: db });
  try {
    const ended = await store.campaignTime(SIMULATION_CAMPAIGN_ID);
    const at = until === undefined ? ended : Math.max(until, ended ?? until);
    if (at !== undefined) await store.setCampaignClock(SIMULATION_CAMPAIGN_ID, at);
  } finally {
    await store.close();
  }
}

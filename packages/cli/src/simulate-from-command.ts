import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LuoshiError, type Language } from '@luoshi/dsl';
import { checkComparedScenarios, compareScenariosFrom, fitScenario, loadScenarioFile, monteCarloFrom, readLiveCampaign, type LiveCampaign, type MonteCarloResult, type ScenarioComparison, type ScenarioFile } from '@luoshi/sim';
import { CliError, exitCodeOf } from './cli-error.js';
import { clockText, openReadOnly, requireDatabase } from './live-commands.js';
import { parseDatabaseUrl } from '@luoshi/store-kysely';
import type { DatabaseTarget } from './database-option.js';
import { comparisonText } from './compare-text.js';
import { formatScenarioDiagnostic, summarise, writeComparison, writeResult, type SimulateCommandOutcome } from './simulate-command.js';
import { checkOutputFile, checkOutputs } from './simulation-exports.js';
import { runOptions, type SimulationOptions } from './simulation-options.js';

/** What `luoshi simulate --from` needs: the shared options (several scenarios compared from here, 续推情景对比), and the campaign to continue. */
export interface SimulateFromCommandOptions extends SimulationOptions {
  /** The live database: a SQLite file or a database URL (`postgres://…`). */
  readonly from: string;
  readonly campaign: string;
  /** The wall clock, for a campaign not on a rehearsal clock. */
  readonly now: number;
}

/** The database `--from` names: a URL (PostgreSQL, `sqlite:`) or a SQLite file. Throws CLI_BAD_DATABASE_URL. */
export function fromTarget(from: string): DatabaseTarget {
  try {
    parseDatabaseUrl(from);
  } catch (error) {
    throw new CliError('CLI_BAD_DATABASE_URL', { source: '--from', sourceZh: '--from 参数', detail: (error as Error).message }, { cause: error });
  }
  return { url: from };
}

/** The SQLite file `--from` names, if it names one (never written, nor overwritten by an output). */
function sqliteFile(from: string): string | undefined {
  try {
    const location = parseDatabaseUrl(from);
    return location.kind === 'sqlite' ? location.file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a campaign where it stands from a database opened read-only (a SQLite file in SQLite's
 * read-only mode, PostgreSQL with every transaction read-only), then closes it: nothing the
 * simulation does afterwards can reach it. Throws CLI_DATABASE_MISSING, CLI_DATABASE_UNAVAILABLE,
 * CLI_DATABASE_NOT_READY, CLI_DATABASE_NEWER, SIM_CAMPAIGN_NOT_FOUND, SIM_LIVE_DAMAGED.
 */
export async function readFrom(from: string, campaign: string, now: number, keepHistory = false): Promise<LiveCampaign> {
  const target = fromTarget(from);
  requireDatabase(target);
  // Checked first, as every read command does: a file of someone else's is not a Luoshi database.
  const store = await openReadOnly(target);
  try {
    // A reading kept whole is for fitting a scenario, which runs nothing: no month's flags to rebuild.
    return await readLiveCampaign(store, campaign, { now, keepHistory, monthFlags: !keepHistory, restore: !keepHistory });
  } finally {
    await store.close();
  }
}

/**
 * `luoshi simulate --from <database> --campaign <id>`: how will it end from here — the campaign
 * read where it stands, its process the version it runs, the rest simulated `runs` times under the
 * scenario (`monteCarloFrom`), printed as `luoshi simulate` prints a run from the start; with several
 * scenarios, each continues the one campaign read on the same seeds and they are compared
 * (`compareScenariosFrom`), printed and written as `luoshi simulate` compares runs from the start.
 */
export async function simulateFromCommand(options: SimulateFromCommandOptions): Promise<SimulateCommandOutcome> {
  const { lang } = options;
  try {
    checkOutputs(options.out, options.xlsx, sqliteFile(options.from));
  } catch (error) {
    if (!(error instanceof LuoshiError)) throw error;
    return { exitCode: exitCodeOf(error), stdout: '', stderr: `${error.code} ${error.localized(lang)}\n` };
  }
  const files = typeof options.scenario === 'string' ? [options.scenario] : options.scenario;
  // Every scenario checked before the database is opened: all diagnostics at once.
  const loaded = files.map((f) => loadScenarioFile(f));
  const bad = loaded.filter((l) => !l.ok || !l.scenario);
  if (bad.length > 0) {
    return { exitCode: 1, stdout: '', stderr: `${bad.flatMap((l) => l.diagnostics.map((d) => formatScenarioDiagnostic(d, lang))).join('\n')}\n` };
  }
  const scenarios: ScenarioFile[] = loaded.flatMap((l) => (l.scenario ? [l.scenario] : []));
  let live: LiveCampaign;
  let result: MonteCarloResult | ScenarioComparison;
  try {
    // Before the database is opened, naming the files: two scenarios under one id are refused.
    if (scenarios.length > 1) checkComparedScenarios(scenarios.map((scenario) => ({ scenario })), files);
    // Read once, however many scenarios continue it.
    live = await readFrom(options.from, options.campaign, options.now);
    const shared = { source: live, ...runOptions(options) };
    result = scenarios.length > 1 ? await compareScenariosFrom({ ...shared, scenarios }) : await monteCarloFrom({ ...shared, scenario: scenarios[0] as ScenarioFile });
  } catch (error) {
    if (!(error instanceof LuoshiError)) throw error;
    return { exitCode: exitCodeOf(error), stdout: '', stderr: `${error.code} ${error.localized(lang)}\n` };
  }
  const zh = lang === 'zh';
  const where = `${clockText(live.at)}${live.rehearsal ? (zh ? '（演练时钟）' : ' (rehearsal clock)') : ''}`;
  const continued = zh
    ? `自活动 ${options.campaign} 的当前状态续推：${where}；此前按已记录的历史计\n`
    : `Continued from campaign ${options.campaign} where it stands: ${where}; before then, as recorded\n`;
  // The office is the campaign's own root unit: the scenario's organisation is not the one continued.
  const office = live.organisation.id;
  if ('metrics' in result) {
    const written = await writeComparison(options, result, scenarios[0], office);
    return { exitCode: 0, stdout: options.format === 'json' ? written.json : comparisonText(result, lang) + continued + written.text, stderr: '' };
  }
  const written = await writeResult(options, result, scenarios[0], office);
  return { exitCode: 0, stdout: options.format === 'json' ? written.json : summarise(result, lang) + continued + written.text, stderr: '' };
}

/** What `luoshi scenario fit` needs. */
export interface ScenarioFitCommandOptions {
  readonly from: string;
  readonly campaign: string;
  /** Where to write the scenario (default: standard output). */
  readonly out?: string;
  readonly lang: Language;
  readonly now: number;
}

/**
 * `luoshi scenario fit --from <database> --campaign <id> [--out file]`: a scenario estimated from
 * the campaign's own history so far (`fitScenario`), written as YAML with each estimate's sample in
 * a comment; the database is only read.
 */
export async function scenarioFitCommand(options: ScenarioFitCommandOptions): Promise<SimulateCommandOutcome> {
  const { lang } = options;
  let text: string;
  try {
    if (options.out !== undefined) checkOutputFile(options.out, { en: 'the scenario', zh: '情景' }, true, sqliteFile(options.from));
    const live = await readFrom(options.from, options.campaign, options.now, true);
    text = (await fitScenario(live, { lang, ...(options.out === undefined ? {} : { schema: schemaFrom(options.out) }) })).text;
  } catch (error) {
    if (!(error instanceof LuoshiError)) throw error;
    return { exitCode: exitCodeOf(error), stdout: '', stderr: `${error.code} ${error.localized(lang)}\n` };
  }
  if (options.out === undefined) return { exitCode: 0, stdout: text, stderr: '' };
  const dir = dirname(options.out);
  if (dir !== '') mkdirSync(dir, { recursive: true });
  writeFileSync(options.out, text);
  return { exitCode: 0, stdout: lang === 'zh' ? `情景已写入 ${options.out}\n` : `Scenario written to ${options.out}\n`, stderr: '' };
}

/** The scenario schema of the installed package, relative to where the file is written, for the editor line. */
function schemaFrom(out: string): string {
  const schema = fileURLToPath(import.meta.resolve('@luoshi/sim/schema/scenario.schema.json'));
  const path = relative(dirname(resolve(out)), schema);
  // Far from the package (another tree altogether): the absolute path reads better than a climb to the root.
  if (path.startsWith('../../../')) return schema;
  return path.startsWith('.') ? path : `./${path}`;
}

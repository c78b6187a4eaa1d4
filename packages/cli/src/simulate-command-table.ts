import type { Command } from 'commander';
import type { Language } from '@luoshi/dsl';
import { SCENARIO_LIMITS } from '@luoshi/sim';
import { CliError } from './cli-error.js';
import { EXIT, type CommandRun } from './cli-io.js';
import { cliLanguage } from './cli-language.js';
import { formatOption, integer, langOption } from './cli-options.js';
import { rehearsalTime } from './live-commands.js';
import { simulateCommand } from './simulate-command.js';
import { scenarioFitCommand, simulateFromCommand } from './simulate-from-command.js';
import type { SimulationOptions } from './simulation-options.js';
import { simulationProgress } from './simulation-progress.js';

/** The planners' commands: simulate (a campaign file, or a live campaign `--from` a database) and scenario fit. */
export function addSimulateCommands(program: Command, run: CommandRun): void {
  const { io } = run;
  program
    .command('simulate')
    .description('simulate a campaign under a scenario, many times, with virtual time 按情景模拟活动（蒙特卡洛）')
    .argument('[file]', 'a campaign file; sub-processes are looked up beside it (none with --from)')
    .requiredOption('--scenario <file>', 'scenario file (YAML or JSON); repeat to compare scenarios side by side (the first is the baseline; same seeds for each)', (file: string, files: string[] | undefined) => [...(files ?? []), file])
    .option('--runs <n>', `how many runs (at most ${SCENARIO_LIMITS.runs})`, integer(1, SCENARIO_LIMITS.runs), 1)
    .option('--seed <n>', 'seed the runs derive from (default: the scenario\'s)', integer(0, SCENARIO_LIMITS.seed))
    .option('--out <dir>', 'write <dir>/report.json, a self-contained <dir>/report.html (zh for a Chinese campaign unless --lang), <dir>/results.csv and <dir>/units.csv')
    .option('--xlsx <file>', 'also write the results, units and (comparing) differences as an Excel workbook')
    .addOption(formatOption())
    .option('--threads <n>', `worker threads (default: one per CPU, at most --runs and ${SCENARIO_LIMITS.threads})`, integer(1, SCENARIO_LIMITS.threads))
    .addOption(langOption())
    .option('--db <file>', 'keep the run in this SQLite file as campaign "sim" for status/history/tasks (only with --runs 1)')
    .option('--years <n>', 'simulate this many years from the start (default: the whole campaign; a standing mechanism 长效机制: 3)', integer(1))
    .option('--from <database>', 'continue a live campaign from where it stands: a SQLite file or a postgres:// URL, only read (with --campaign, no campaign file) 从在办活动的当前状态续推')
    .option('--campaign <id>', 'the campaign to continue (with --from)')
    .option('--until <time>', 'stop at this time (e.g. 2010-10-01; Asia/Shanghai unless it names a zone) instead of the end')
    .action(async (file: string | undefined, o: { scenario: string[]; runs: number; seed?: number; out?: string; xlsx?: string; format: 'text' | 'json'; threads?: number; lang?: Language; db?: string; years?: number; from?: string; campaign?: string; until?: string }) => {
      const lang = cliLanguage(o.lang, io.env);
      let until: number | undefined;
      try {
        // --from reads a campaign and needs nothing of a file; without it, a file and no campaign.
        const fromOk = o.from !== undefined && o.campaign !== undefined && file === undefined && o.db === undefined && o.years === undefined;
        if (o.from !== undefined ? !fromOk : file === undefined || o.campaign !== undefined) throw new CliError('CLI_SIMULATE_WHAT');
        until = o.until === undefined ? undefined : rehearsalTime(o.until);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        run.exitCode = EXIT.usage;
        return;
      }
      // A progress bar only for a person watching: never in a pipe or a log.
      const bar = simulationProgress(io.progress, o.runs * o.scenario.length, lang);
      const common: SimulationOptions = {
        scenario: o.scenario.length === 1 ? (o.scenario[0] as string) : o.scenario,
        runs: o.runs,
        ...(o.seed === undefined ? {} : { seed: o.seed }),
        ...(o.out === undefined ? {} : { out: o.out }),
        ...(o.xlsx === undefined ? {} : { xlsx: o.xlsx }),
        format: o.format,
        ...(o.threads === undefined ? {} : { threads: o.threads }),
        lang,
        ...(o.lang === undefined ? {} : { reportLang: o.lang }),
        ...(until === undefined ? {} : { until }),
        ...(bar ? { onProgress: bar.onProgress } : {}),
      };
      const outcome = await (o.from !== undefined && o.campaign !== undefined
        ? simulateFromCommand({ ...common, from: o.from, campaign: o.campaign, now: Date.now() })
        : simulateCommand({ ...common, file: file as string, ...(o.db === undefined ? {} : { db: o.db }), ...(o.years === undefined ? {} : { years: o.years }) })
      ).finally(() => bar?.stop());
      if (outcome.stdout) io.stdout(outcome.stdout);
      if (outcome.stderr) io.stderr(outcome.stderr);
      run.exitCode = outcome.exitCode;
    });

  const scenario = program.command('scenario').description('scenario files 情景文件');
  scenario
    .command('fit')
    .description('write a scenario estimated from a live campaign\'s history so far, per unit kind 由活动记录拟合情景')
    .requiredOption('--from <database>', 'the live database: a SQLite file or a postgres:// URL, only read')
    .requiredOption('--campaign <id>', 'the campaign whose history to fit')
    .option('--out <file>', 'write the scenario here (default: standard output)')
    .addOption(langOption('message and comment language, default from LANG'))
    .action(async (o: { from: string; campaign: string; out?: string; lang?: Language }) => {
      const lang = cliLanguage(o.lang, io.env);
      const outcome = await scenarioFitCommand({ from: o.from, campaign: o.campaign, ...(o.out === undefined ? {} : { out: o.out }), lang, now: Date.now() });
      if (outcome.stdout) io.stdout(outcome.stdout);
      if (outcome.stderr) io.stderr(outcome.stderr);
      run.exitCode = outcome.exitCode;
    });
}

import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  formatDiagnostic,
  LuoshiError,
  processSchemaPath,
  renderMermaid,
  skippedNote,
  validateProcessPaths,
  type Diagnostic,
  type Language,
  type MermaidView,
} from '@luoshi/dsl';
import { CliError } from './cli-error.js';
import { cliLanguage, commanderText, helpTitle, langArgument } from './cli-language.js';
import { databaseTarget, DEFAULT_SQLITE_FILE, describeDatabase } from './database-option.js';
import { deployCommand, extensionsCommand, historyCommand, itemsCommand, rehearsalTime, sendCommand, startCommand, statusCommand, tasksCommand } from './live-commands.js';
import { initCommand } from './init-command.js';
import { runCampaign } from './run-campaign.js';
import { serve } from './serve-command.js';
import { clockCommand } from './clock-command.js';
import { startWorker } from './worker-command.js';
import { SCENARIO_LIMITS } from '@luoshi/sim';
import { simulateCommand } from './simulate-command.js';
import { scenarioFitCommand, simulateFromCommand } from './simulate-from-command.js';
import { simulationProgress, type ProgressTerminal } from './simulation-progress.js';

/** Where the CLI writes; injected so tests can capture output without a child process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where progress bars go (the CLI gives process.stderr); none unless it is a TTY. */
  readonly progress?: ProgressTerminal;
  /**
   * Stops `luoshi worker` and `luoshi serve` when aborted; without it they stop on SIGINT or
   * SIGTERM. Tests run them in-process with their own.
   */
  readonly stop?: AbortSignal;
}


/** Exit codes: 0 success, 1 invalid input files, 2 usage error. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

const EXAMPLES = `
Examples / 示例:
  $ luoshi validate processes/                 # check every process file 检查全部过程文件
  $ luoshi validate processes/002-jiguan-zuofeng.yaml --lang en
  $ luoshi validate processes/ --format json   # machine-readable diagnostics
  $ luoshi diagram processes/002-jiguan-zuofeng.yaml > zuofeng.mmd
  $ luoshi schema > process.schema.json
  $ luoshi init my-campaigns                   # starter file, schemas, editor settings 初始化目录
  $ luoshi run processes/002-jiguan-zuofeng.yaml --events examples/events/002-sample.json
  $ luoshi simulate processes/002-jiguan-zuofeng.yaml --scenario examples/scenarios/002-lax.yaml --runs 20
  $ luoshi simulate processes/002-jiguan-zuofeng.yaml --scenario examples/scenarios/002-lax.yaml --scenario examples/scenarios/002-diligent.yaml --runs 20
  $ luoshi simulate --from campaign.sqlite --campaign zf --scenario examples/scenarios/002-baseline.yaml --runs 20   # from where it stands 从当前状态续推
  $ luoshi simulate --from campaign.sqlite --campaign zf --scenario a.yaml --scenario b.yaml --runs 20   # compare from here 续推情景对比
  $ luoshi scenario fit --from campaign.sqlite --campaign zf --out fitted.yaml   # a scenario from its history 由记录拟合情景
  $ luoshi deploy processes/ --db campaign.sqlite
  $ luoshi start 机关作风建设年 --org org.json --campaign zf --db campaign.sqlite
  $ luoshi send zf/u01 '{"type":"task.completed","task":"支部组织动员"}' --actor 张三 --key req-1
  $ luoshi status zf --db campaign.sqlite
  $ luoshi status zf --url postgres://luoshi@db.example:5432/luoshi   # or LUOSHI_DATABASE_URL=postgres://…
`;

/** The version in this package's package.json, read where the installed package has it (dist/../package.json). */
function cliVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/** Runs the `luoshi` command with the given arguments (without `node` and the script). */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    return await parseAndRun(args, io);
  } catch (error) {
    // Never a stack trace: a coded error is printed as every command prints one, anything else as
    // CLI_UNEXPECTED with its message only.
    let lang: Language = 'en';
    try {
      lang = cliLanguage(langArgument(args), io.env);
    } catch {
      // The configuration file is what failed: English.
    }
    const coded = error instanceof LuoshiError ? error : new CliError('CLI_UNEXPECTED', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
    io.stderr(`${coded.code} ${coded.localized(lang)}\n`);
    return coded instanceof CliError && coded.isUsage ? EXIT.usage : EXIT.invalid;
  }
}

async function parseAndRun(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  // Read before parsing, so commander's own messages (unknown option, missing argument) follow it.
  const programLang = cliLanguage(langArgument(args), io.env);
  const resolveLanguage = (explicit: string | undefined, env: Readonly<Record<string, string | undefined>>) => cliLanguage(explicit, env);
  const program = new Command('luoshi')
    .description('Luoshi (落实): campaign directives as executable processes 把活动文件变成可执行的流程')
    .exitOverride()
    .helpOption('-h, --help', programLang === 'zh' ? '显示帮助' : 'display help for command')
    .helpCommand('help [command]', programLang === 'zh' ? '显示命令的帮助' : 'display help for command')
    .configureHelp({ styleTitle: (title) => helpTitle(title, programLang) })
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(commanderText(text, programLang)) })
    .showHelpAfterError()
    .addHelpText('after', EXAMPLES)
    .version(cliVersion(), '-V, --version', 'the version of luoshi 版本号');

  program
    .command('validate')
    .description('check process files and directories; exit 0 valid, 1 invalid 校验过程文件')
    .argument('<paths...>', 'process files (.yaml, .yml, .json) or directories')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .action((paths: string[], options: { format: 'text' | 'json'; lang?: Language }) => {
      const lang = resolveLanguage(options.lang, io.env);
      const result = validateProcessPaths(paths);
      if (options.format === 'json') {
        const skipped = result.skipped ?? [];
        io.stdout(`${JSON.stringify({ ok: result.ok, files: result.files.map((f) => ({ file: f.file, ok: f.ok })), diagnostics: result.diagnostics.map(toJson), skipped }, null, 2)}\n`);
      } else {
        for (const s of result.skipped ?? []) io.stdout(`${skippedNote(s, lang)}\n`);
        for (const d of result.diagnostics) io.stdout(`${formatDiagnostic(d, lang)}\n`);
        io.stdout(`${summary(result.files.length, result.diagnostics, lang)}\n`);
      }
      exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });

  program
    .command('schema')
    .description('print the JSON Schema of process files 输出过程文件的 JSON Schema')
    .action(() => {
      io.stdout(readFileSync(processSchemaPath, 'utf8'));
    });

  program
    .command('init')
    .description('write a starter process file, the schemas and editor settings into a folder 初始化工作目录')
    .argument('[dir]', 'the folder (default: the current one)', '.')
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .action((dir: string, options: { lang?: Language }) => {
      const lang = resolveLanguage(options.lang, io.env);
      try {
        io.stdout(initCommand(dir, lang));
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        exitCode = EXIT.invalid;
      }
    });

  program
    .command('diagram')
    .description('print a Mermaid stateDiagram-v2 of a process 输出流程状态图 (Mermaid)')
    .argument('<file>', 'a process file; sub-processes are looked up beside it')
    .option('--lib <dir>', 'directory to look up sub-processes in (default: the file\'s directory)')
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .addOption(
      new Option('--view <view>', 'overview (default; with --phase: full): phases, workstreams and their work stacked, readable at page width; full: every region, loop and sub-process nested 概览 / 全图')
        .choices(['overview', 'full']),
    )
    .option('--phase <id>', 'draw only this phase, in full 只画这一阶段（全图）')
    .action((file: string, options: { lib?: string; lang?: Language; view?: MermaidView; phase?: string }) => {
      const lang = resolveLanguage(options.lang, io.env);
      const result = validateProcessPaths([file, options.lib ?? dirname(file)]);
      const own = result.files.find((f) => f.file === file);
      if (!own?.ok || !own.definition) {
        for (const d of (own?.diagnostics ?? result.diagnostics).filter((x) => x.severity === 'error')) io.stderr(`${formatDiagnostic(d, lang)}\n`);
        exitCode = EXIT.invalid;
        return;
      }
      const definition = own.definition;
      if (options.phase !== undefined) {
        const phases = definition.kind === 'campaign' ? definition.phases.map((p) => p.id) : [];
        if (!phases.includes(options.phase)) {
          // The argument is echoed: control and invisible-format characters shown as \u escapes, never sent to the terminal.
          const shown = options.phase.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
          const error = new CliError('CLI_UNKNOWN_PHASE', { process: definition.id, phase: shown, known: phases.join(', ') || '-' });
          io.stderr(`${error.code} ${error.localized(lang)}\n`);
          exitCode = EXIT.usage;
          return;
        }
      }
      io.stdout(renderMermaid(definition, result.subprocesses, { lang, ...(options.view === undefined ? {} : { view: options.view }), ...(options.phase === undefined ? {} : { phase: options.phase }) }));
    });

  program
    .command('run')
    .description('run a campaign through the engine on SQLite with a virtual clock, to its end 在 SQLite 上把活动从头运行到底')
    .argument('<file>', 'a campaign file; sub-processes are looked up beside it')
    .option('--db <file>', 'SQLite database file', 'luoshi.sqlite')
    .option('--org <file>', 'organisation tree as JSON (default: a sample office with --units units)')
    .option('--units <n>', 'units in the sample organisation', '24')
    .option('--members <n>', 'members per unit in the sample organisation', '5')
    .option('--events <file>', 'scripted events as JSON: [{ "at": "2010-05-20T10:00", "unit": "u01", "event": {…} }]')
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .action(async (file: string, options: { db: string; org?: string; units: string; members: string; events?: string; lang?: Language }) => {
      const lang = resolveLanguage(options.lang, io.env);
      try {
        io.stdout(
          await runCampaign({
            file,
            db: options.db,
            ...(options.org ? { organisation: options.org } : {}),
            units: Number(options.units),
            members: Number(options.members),
            ...(options.events ? { events: options.events } : {}),
            lang,
          }),
        );
      } catch (error) {
        if (!(error instanceof LuoshiError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        exitCode = error instanceof CliError && error.isUsage ? EXIT.usage : EXIT.invalid;
      }
    });

  program
    .command('simulate')
    .description('simulate a campaign under a scenario, many times, with virtual time 按情景模拟活动（蒙特卡洛）')
    .argument('[file]', 'a campaign file; sub-processes are looked up beside it (none with --from)')
    .requiredOption('--scenario <file>', 'scenario file (YAML or JSON); repeat to compare scenarios side by side (the first is the baseline; same seeds for each)', (file: string, files: string[] | undefined) => [...(files ?? []), file])
    .option('--runs <n>', `how many runs (at most ${SCENARIO_LIMITS.runs})`, integer(1, SCENARIO_LIMITS.runs), 1)
    .option('--seed <n>', 'seed the runs derive from (default: the scenario\'s)', integer(0, SCENARIO_LIMITS.seed))
    .option('--out <dir>', 'write <dir>/report.json, a self-contained <dir>/report.html (zh for a Chinese campaign unless --lang), <dir>/results.csv and <dir>/units.csv')
    .option('--xlsx <file>', 'also write the results, units and (comparing) differences as an Excel workbook')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--threads <n>', 'worker threads (default: one per CPU, at most --runs)', integer(1))
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .option('--db <file>', 'keep the run in this SQLite file as campaign "sim" for status/history/tasks (only with --runs 1)')
    .option('--years <n>', 'simulate this many years from the start (default: the whole campaign; a standing mechanism 长效机制: 3)', integer(1))
    .option('--from <database>', 'continue a live campaign from where it stands: a SQLite file or a postgres:// URL, only read (with --campaign, no campaign file) 从在办活动的当前状态续推')
    .option('--campaign <id>', 'the campaign to continue (with --from)')
    .option('--until <time>', 'stop at this time (e.g. 2010-10-01; Asia/Shanghai unless it names a zone) instead of the end')
    .action(async (file: string | undefined, o: { scenario: string[]; runs: number; seed?: number; out?: string; xlsx?: string; format: 'text' | 'json'; threads?: number; lang?: Language; db?: string; years?: number; from?: string; campaign?: string; until?: string }) => {
      const lang = resolveLanguage(o.lang, io.env);
      let until: number | undefined;
      try {
        // --from reads a campaign and needs nothing of a file; without it, a file and no campaign.
        const fromOk = o.from !== undefined && o.campaign !== undefined && file === undefined && o.db === undefined && o.years === undefined;
        if (o.from !== undefined ? !fromOk : file === undefined || o.campaign !== undefined) throw new CliError('CLI_SIMULATE_WHAT');
        until = o.until === undefined ? undefined : rehearsalTime(o.until);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        exitCode = EXIT.usage;
        return;
      }
      // A progress bar only for a person watching: never in a pipe or a log.
      const bar = simulationProgress(io.progress, o.runs * o.scenario.length, lang);
      const common = {
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
        ? simulateFromCommand({ ...common, from: o.from, campaign: o.campaign, scenario: o.scenario.length === 1 ? (o.scenario[0] as string) : o.scenario, now: Date.now() })
        : simulateCommand({
            ...common,
            file: file as string,
            scenario: o.scenario.length === 1 ? (o.scenario[0] as string) : o.scenario,
            ...(o.db === undefined ? {} : { db: o.db }),
            ...(o.years === undefined ? {} : { years: o.years }),
          })
      ).finally(() => bar?.stop());
      if (outcome.stdout) io.stdout(outcome.stdout);
      if (outcome.stderr) io.stderr(outcome.stderr);
      exitCode = outcome.exitCode;
    });

  const scenario = program.command('scenario').description('scenario files 情景文件');
  scenario
    .command('fit')
    .description('write a scenario estimated from a live campaign\'s history so far, per unit kind 由活动记录拟合情景')
    .requiredOption('--from <database>', 'the live database: a SQLite file or a postgres:// URL, only read')
    .requiredOption('--campaign <id>', 'the campaign whose history to fit')
    .option('--out <file>', 'write the scenario here (default: standard output)')
    .addOption(new Option('--lang <lang>', 'message and comment language, default from LANG').choices(['zh', 'en']))
    .action(async (o: { from: string; campaign: string; out?: string; lang?: Language }) => {
      const lang = resolveLanguage(o.lang, io.env);
      const outcome = await scenarioFitCommand({ from: o.from, campaign: o.campaign, ...(o.out === undefined ? {} : { out: o.out }), lang, now: Date.now() });
      if (outcome.stdout) io.stdout(outcome.stdout);
      if (outcome.stderr) io.stderr(outcome.stderr);
      exitCode = outcome.exitCode;
    });

  // Commands that operate a live campaign on a database. None fires a timer (a worker or `luoshi
  // clock` moves time); reads answer as of what the database holds; a change is stamped with its
  // campaign's time (the wall clock, or its rehearsal clock).
  const live = (command: Command) =>
    withDatabaseOptions(command)
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']));
  const read = live;
  const guarded =
    <A extends unknown[]>(work: (...args: A) => Promise<string>) =>
    async (...args: A): Promise<void> => {
      const options = args.at(-2) as { lang?: Language };
      const lang = resolveLanguage(options.lang, io.env);
      try {
        io.stdout(await work(...args));
      } catch (error) {
        if (!(error instanceof LuoshiError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        exitCode = error instanceof CliError && error.isUsage ? EXIT.usage : EXIT.invalid;
      }
    };
  type LiveOptions = { db?: string; url?: string; format: 'text' | 'json'; lang?: Language };
  const out = (o: LiveOptions) => ({
    database: databaseTarget(o, io.env),
    format: o.format,
    lang: resolveLanguage(o.lang, io.env),
  });

  live(program.command('migrate').description('create or upgrade the database 创建或升级数据库')).action(
    guarded(async (o: LiveOptions) => {
      const options = out(o);
      await deployCommand([], options);
      const where = describeDatabase(options.database);
      return options.lang === 'zh' ? `数据库已就绪：${where}\n` : `Database ready: ${where}\n`;
    }),
  );
  live(program.command('deploy').description('validate and deploy process files 校验并部署过程文件').argument('<paths...>')).action(
    guarded(async (paths: string[], o: LiveOptions) => deployCommand(paths, out(o))),
  );
  live(
    program
      .command('start')
      .description('start a campaign over an organisation 启动活动')
      .argument('<process>', 'the deployed process id')
      .requiredOption('--org <file>', 'organisation tree as JSON')
      .option('--campaign <id>', 'campaign id (default: generated)')
      .option('--version <n>', 'process version (default: latest)')
      .option('--now <time>', 'rehearsal: start on a clock of its own at this time, e.g. 2010-04-02T09:00, moved only by `luoshi clock`'),
  ).action(
    guarded(async (process: string, o: LiveOptions & { org: string; campaign?: string; version?: string; now?: string }) =>
      startCommand(process, {
        ...out(o),
        org: o.org,
        ...(o.campaign ? { campaign: o.campaign } : {}),
        ...(o.version ? { version: Number(o.version) } : {}),
        ...(o.now === undefined ? {} : { now: o.now }),
      }),
    ),
  );
  live(
    program
      .command('send')
      .description('send an event to a unit\'s instance 向单位实例发送事件')
      .argument('<instance>', 'campaign/unit')
      .argument('<event>', 'the event as JSON, e.g. \'{"type":"task.completed","task":"报送方案"}\'')
      .option('--actor <id>', 'who did it')
      .option('--key <key>', 'idempotency key'),
  ).action(
    guarded(async (instance: string, event: string, o: LiveOptions & { actor?: string; key?: string }) =>
      sendCommand(instance, event, { ...out(o), ...(o.actor ? { actor: o.actor } : {}), ...(o.key ? { key: o.key } : {}) }),
    ),
  );
  read(program.command('status').description('roll-up of a campaign 活动汇总').argument('<campaign>').option('--unit <id>', 'a unit and those under it')).action(
    guarded(async (campaign: string, o: LiveOptions & { unit?: string }) => statusCommand(campaign, { ...out(o), ...(o.unit ? { unit: o.unit } : {}) })),
  );
  read(
    program
      .command('items')
      .description('items tracked to closure of a campaign 督办事项（销号管理）')
      .argument('<campaign>')
      .option('--unit <id>', 'a unit and those under it'),
  ).action(guarded(async (campaign: string, o: LiveOptions & { unit?: string }) => itemsCommand(campaign, { ...out(o), ...(o.unit ? { unit: o.unit } : {}) })));
  read(
    program
      .command('extensions')
      .description('extension requests waiting for a decision 待审批延期申请')
      .argument('<campaign>')
      .option('--unit <id>', 'a unit and those under it'),
  ).action(guarded(async (campaign: string, o: LiveOptions & { unit?: string }) => extensionsCommand(campaign, { ...out(o), ...(o.unit ? { unit: o.unit } : {}) })));
  read(program.command('history').description('history of an instance 实例历史').argument('<instance>', 'campaign/unit')).action(
    guarded(async (instance: string, o: LiveOptions) => historyCommand(instance, out(o))),
  );
  read(
    program
      .command('clock')
      .description('show or move a campaign\'s rehearsal clock, firing what falls due 演练时钟')
      .argument('<campaign>')
      .option('--set <time>', 'move the clock to this time, e.g. 2010-05-10T09:00')
      .option('--advance <duration>', 'move the clock on by 7d, 12h, 1w2d, 30m'),
  ).action(
    guarded(async (campaign: string, o: LiveOptions & { set?: string; advance?: string }) =>
      clockCommand(campaign, { ...out(o), ...(o.set === undefined ? {} : { set: o.set }), ...(o.advance === undefined ? {} : { advance: o.advance }) }),
    ),
  );
  read(
    program
      .command('tasks')
      .description('tasks of an instance 实例任务')
      .argument('<instance>', 'campaign/unit')
      .option('--status <list>', 'e.g. open,overdue')
      .option('--member <id>', 'one member\'s tasks'),
  ).action(
    guarded(async (instance: string, o: LiveOptions & { status?: string; member?: string }) =>
      tasksCommand(instance, { ...out(o), ...(o.status ? { status: o.status } : {}), ...(o.member ? { member: o.member } : {}) }),
    ),
  );

  // Resolves when the command is to stop: the caller's signal, else SIGINT or SIGTERM.
  const stopped = () =>
    new Promise<void>((resolve) => {
      if (io.stop) {
        if (io.stop.aborted) resolve();
        else io.stop.addEventListener('abort', () => resolve(), { once: true });
        return;
      }
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  const log = (line: string) => io.stderr(line);

  withDatabaseOptions(program.command('serve').description('serve the HTTP API on a database, with a worker firing due timers 启动 HTTP 服务'))
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .requiredOption('--users <file>', 'JSON: bearer token → { "id": "张三", "roles": ["支部"] }')
    .option('--tick <ms>', 'how often due timers fire', '1000')
    .option('--no-worker', 'fire no timers here: a separate `luoshi worker` does')
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .action(
      guarded(async (o: { db?: string; url?: string; port: string; host: string; users: string; tick: string; worker: boolean; lang?: Language }) => {
        const serving = await serve({ database: databaseTarget(o, io.env), port: Number(o.port), host: o.host, users: o.users, tickMs: Number(o.tick), worker: o.worker, log });
        io.stdout(`Luoshi API on ${serving.url}/v1 (OpenAPI: ${serving.url}/openapi.json)\n`);
        await stopped();
        await serving.close();
        return '';
      }),
    );

  withDatabaseOptions(
    program
      .command('worker')
      .description('fire due timers (deadlines, recurrences, rankings) of campaigns on the wall clock until stopped 定时器工作进程'),
  )
    .option('--tick <ms>', 'how often due timers fire', '1000')
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .action(
      guarded(async (o: { db?: string; url?: string; tick: string; lang?: Language }) => {
        const database = databaseTarget(o, io.env);
        const zh = resolveLanguage(o.lang, io.env) === 'zh';
        const working = await startWorker({ database, tickMs: Number(o.tick), log });
        io.stderr(zh ? `定时器工作进程已启动：${describeDatabase(database)}（Ctrl-C 停止）\n` : `Worker firing due timers on ${describeDatabase(database)} (Ctrl-C stops it)\n`);
        await stopped();
        await working.close();
        return '';
      }),
    );

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}

/** A commander parser for an integer of at least `min`. */
/** A whole number from `min` (to `max` when given: a count or a seed the library would refuse after reading every file). */
function integer(min: number, max?: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(max === undefined ? `expected an integer of at least ${min}` : `expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/**
 * `--db` and `--url`, the two ways of naming a live campaign's database. Neither has a commander
 * default: `databaseTarget` must see which one was given to refuse both and to fall back to
 * `LUOSHI_DATABASE_URL` before the default file.
 */
function withDatabaseOptions(command: Command): Command {
  return command
    .option('--db <file>', `SQLite database file (default: ${DEFAULT_SQLITE_FILE}, unless LUOSHI_DATABASE_URL is set)`)
    .option('--url <url>', 'database URL, postgres://user@host:port/database (or sqlite:file); default: LUOSHI_DATABASE_URL');
}

function toJson(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    file: d.file,
    line: d.line,
    column: d.column,
    pointer: d.pointer,
    message: d.message,
  };
}

function summary(files: number, diagnostics: readonly Diagnostic[], lang: Language): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return lang === 'zh'
    ? `已检查 ${files} 个文件：${errors} 个错误，${warnings} 个警告`
    : `${files} file(s) checked: ${errors} error(s), ${warnings} warning(s)`;
}

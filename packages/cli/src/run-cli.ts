import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { LuoshiError, type Language } from '@luoshi/dsl';
import { CliError, exitCodeOf } from './cli-error.js';
import { EXIT, type CliIo, type CommandRun } from './cli-io.js';
import { cliLanguage, commanderText, helpTitle, langArgument } from './cli-language.js';
import { addFileCommands } from './file-command-table.js';
import { addLiveCommands } from './live-command-table.js';
import { addSimulateCommands } from './simulate-command-table.js';

export { EXIT, type CliIo } from './cli-io.js';
export { exitCodeOf } from './cli-error.js';

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
    return exitCodeOf(coded);
  }
}

async function parseAndRun(args: readonly string[], io: CliIo): Promise<number> {
  const run: CommandRun = { io, exitCode: EXIT.ok };
  // Read before parsing, so commander's own messages (unknown option, missing argument) follow it.
  const programLang = cliLanguage(langArgument(args), io.env);
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

  // In this order in the help: files, simulation, the live database.
  addFileCommands(program, run);
  addSimulateCommands(program, run);
  addLiveCommands(program, run);

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return run.exitCode;
}

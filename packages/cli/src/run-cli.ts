import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  formatDiagnostic,
  processSchemaPath,
  renderMermaid,
  resolveLanguage,
  validateProcessPaths,
  type Diagnostic,
  type Language,
} from '@luoshi/dsl';
import { EngineError } from '@luoshi/engine';
import { runCampaign } from './run-campaign.js';

/** Where the CLI writes; injected so tests can capture output without a child process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
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
  $ luoshi run processes/002-jiguan-zuofeng.yaml --events examples/events/002-sample.json
`;

/** Runs the `luoshi` command with the given arguments (without `node` and the script). */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('luoshi')
    .description('Luoshi (落实): campaign directives as executable processes 把活动文件变成可执行的流程')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError()
    .addHelpText('after', EXAMPLES);

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
        io.stdout(`${JSON.stringify({ ok: result.ok, files: result.files.map((f) => ({ file: f.file, ok: f.ok })), diagnostics: result.diagnostics.map(toJson) }, null, 2)}\n`);
      } else {
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
    .command('diagram')
    .description('print a Mermaid stateDiagram-v2 of a process 输出流程状态图 (Mermaid)')
    .argument('<file>', 'a process file; sub-processes are looked up beside it')
    .option('--lib <dir>', 'directory to look up sub-processes in (default: the file\'s directory)')
    .addOption(new Option('--lang <lang>', 'message language, default from LANG').choices(['zh', 'en']))
    .action((file: string, options: { lib?: string; lang?: Language }) => {
      const lang = resolveLanguage(options.lang, io.env);
      const result = validateProcessPaths([file, options.lib ?? dirname(file)]);
      const own = result.files.find((f) => f.file === file);
      if (!own?.ok || !own.definition) {
        for (const d of (own?.diagnostics ?? result.diagnostics).filter((x) => x.severity === 'error')) io.stderr(`${formatDiagnostic(d, lang)}\n`);
        exitCode = EXIT.invalid;
        return;
      }
      io.stdout(renderMermaid(own.definition, result.subprocesses));
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
        if (!(error instanceof EngineError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        exitCode = EXIT.invalid;
      }
    });

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

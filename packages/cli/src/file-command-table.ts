import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { formatDiagnostic, LuoshiError, processSchemaPath, renderMermaid, skippedNote, validateProcessPaths, type Diagnostic, type Language, type MermaidView } from '@luoshi/dsl';
import { CliError, exitCodeOf } from './cli-error.js';
import { EXIT, type CommandRun } from './cli-io.js';
import { cliLanguage } from './cli-language.js';
import { formatOption, langOption } from './cli-options.js';
import { initCommand } from './init-command.js';
import { runCampaign } from './run-campaign.js';

/** The commands on process files, no database kept: validate, schema, init, diagram and run (on a SQLite file of its own). */
export function addFileCommands(program: Command, run: CommandRun): void {
  const { io } = run;
  program
    .command('validate')
    .description('check process files and directories; exit 0 valid, 1 invalid 校验过程文件')
    .argument('<paths...>', 'process files (.yaml, .yml, .json) or directories')
    .addOption(formatOption())
    .addOption(langOption())
    .action((paths: string[], options: { format: 'text' | 'json'; lang?: Language }) => {
      const lang = cliLanguage(options.lang, io.env);
      const result = validateProcessPaths(paths);
      if (options.format === 'json') {
        const skipped = result.skipped ?? [];
        io.stdout(`${JSON.stringify({ ok: result.ok, files: result.files.map((f) => ({ file: f.file, ok: f.ok })), diagnostics: result.diagnostics.map(toJson), skipped }, null, 2)}\n`);
      } else {
        for (const s of result.skipped ?? []) io.stdout(`${skippedNote(s, lang)}\n`);
        for (const d of result.diagnostics) io.stdout(`${formatDiagnostic(d, lang)}\n`);
        io.stdout(`${summary(result.files.length, result.diagnostics, lang)}\n`);
      }
      run.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
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
    .addOption(langOption())
    .action((dir: string, options: { lang?: Language }) => {
      const lang = cliLanguage(options.lang, io.env);
      try {
        io.stdout(initCommand(dir, lang));
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        run.exitCode = EXIT.invalid;
      }
    });

  program
    .command('diagram')
    .description('print a Mermaid stateDiagram-v2 of a process 输出流程状态图 (Mermaid)')
    .argument('<file>', 'a process file; sub-processes are looked up beside it')
    .option('--lib <dir>', 'directory to look up sub-processes in (default: the file\'s directory)')
    .addOption(langOption())
    .addOption(
      new Option('--view <view>', 'overview (default; with --phase: full): phases, workstreams and their work stacked, readable at page width; full: every region, loop and sub-process nested 概览 / 全图')
        .choices(['overview', 'full']),
    )
    .option('--phase <id>', 'draw only this phase, in full 只画这一阶段（全图）')
    .action((file: string, options: { lib?: string; lang?: Language; view?: MermaidView; phase?: string }) => {
      const lang = cliLanguage(options.lang, io.env);
      const result = validateProcessPaths([file, options.lib ?? dirname(file)]);
      const own = result.files.find((f) => f.file === file);
      if (!own?.ok || !own.definition) {
        for (const d of (own?.diagnostics ?? result.diagnostics).filter((x) => x.severity === 'error')) io.stderr(`${formatDiagnostic(d, lang)}\n`);
        run.exitCode = EXIT.invalid;
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
          run.exitCode = EXIT.usage;
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
    .addOption(langOption())
    .action(async (file: string, options: { db: string; org?: string; units: string; members: string; events?: string; lang?: Language }) => {
      const lang = cliLanguage(options.lang, io.env);
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
        run.exitCode = exitCodeOf(error);
      }
    });
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

import type { Command } from 'commander';
import { LuoshiError, type Language } from '@luoshi/dsl';
import { exitCodeOf } from './cli-error.js';
import type { CommandRun } from './cli-io.js';
import { cliLanguage } from './cli-language.js';
import { formatOption, langOption, withDatabaseOptions } from './cli-options.js';
import { clockCommand } from './clock-command.js';
import { closeCommand, CONSOLE_ACTOR } from './close-command.js';
import { databaseTarget, describeDatabase } from './database-option.js';
import { deployCommand, extensionsCommand, historyCommand, itemsCommand, sendCommand, startCommand, statusCommand, tasksCommand } from './live-commands.js';
import { serve } from './serve-command.js';
import { startWorker } from './worker-command.js';

/** The commands on a live campaign's database: migrate, deploy, start, send, close, the reads, clock, serve and worker. */
export function addLiveCommands(program: Command, run: CommandRun): void {
  const { io } = run;
  // Commands that operate a live campaign on a database. None fires a timer (a worker or `luoshi
  // clock` moves time); reads answer as of what the database holds; a change is stamped with its
  // campaign's time (the wall clock, or its rehearsal clock).
  const live = (command: Command) =>
    withDatabaseOptions(command)
      .addOption(formatOption())
      .addOption(langOption());
  const read = live;
  const guarded =
    <A extends unknown[]>(work: (...args: A) => Promise<string>) =>
    async (...args: A): Promise<void> => {
      const options = args.at(-2) as { lang?: Language };
      const lang = cliLanguage(options.lang, io.env);
      try {
        io.stdout(await work(...args));
      } catch (error) {
        if (!(error instanceof LuoshiError)) throw error;
        io.stderr(`${error.code} ${error.localized(lang)}\n`);
        run.exitCode = exitCodeOf(error);
      }
    };
  type LiveOptions = { db?: string; url?: string; format: 'text' | 'json'; lang?: Language };
  const out = (o: LiveOptions) => ({
    database: databaseTarget(o, io.env),
    format: o.format,
    lang: cliLanguage(o.lang, io.env),
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
        // An empty --campaign is refused (ENGINE_INVALID_CAMPAIGN_ID), not taken for none.
        ...(o.campaign === undefined ? {} : { campaign: o.campaign }),
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
      .option('--role <role>', 'a role the actor holds, checked as HTTP checks it (repeatable) 办理人所持角色，可重复', (role: string, roles: string[] = []) => [...roles, role])
      .option('--key <key>', 'idempotency key'),
  ).action(
    guarded(async (instance: string, event: string, o: LiveOptions & { actor?: string; key?: string; role?: string[] }) =>
      sendCommand(instance, event, { ...out(o), ...(o.actor ? { actor: o.actor } : {}), ...(o.key ? { key: o.key } : {}), ...(o.role ? { roles: o.role } : {}) }),
    ),
  );
  live(
    program
      .command('close')
      .description('close a campaign, or the part under a unit, in one act 终止活动')
      .requiredOption('--campaign <id>', 'the campaign to close')
      .requiredOption('--reason <text>', 'why, recorded in each unit\'s history 终止原因')
      .option('--unit <id>', 'close only this unit and those under it')
      .option('--at <time>', 'when, e.g. 2026-06-30T17:00 (default: the campaign\'s clock; never after it)')
      .option('--actor <id>', `who closes it (default: ${CONSOLE_ACTOR})`)
      .option('--role <role>', 'a role the actor holds, checked as HTTP checks it (repeatable) 办理人所持角色，可重复', (role: string, roles: string[] = []) => [...roles, role])
      .option('--key <key>', 'idempotency key'),
  ).action(
    guarded(async (o: LiveOptions & { campaign: string; reason: string; unit?: string; at?: string; actor?: string; role?: string[]; key?: string }) =>
      closeCommand({
        ...out(o),
        campaign: o.campaign,
        reason: o.reason,
        ...(o.unit === undefined ? {} : { unit: o.unit }),
        ...(o.at === undefined ? {} : { at: o.at }),
        ...(o.actor === undefined ? {} : { actor: o.actor }),
        ...(o.role === undefined ? {} : { roles: o.role }),
        ...(o.key === undefined ? {} : { key: o.key }),
      }),
    ),
  );
  // The campaign-wide reads, each for the whole campaign or one unit and those under it.
  const campaignRead = (name: string, description: string, command: typeof statusCommand) =>
    read(program.command(name).description(description).argument('<campaign>').option('--unit <id>', 'a unit and those under it')).action(
      guarded(async (campaign: string, o: LiveOptions & { unit?: string }) => command(campaign, { ...out(o), ...(o.unit ? { unit: o.unit } : {}) })),
    );
  campaignRead('status', 'roll-up of a campaign 活动汇总', statusCommand);
  campaignRead('items', 'items tracked to closure of a campaign 督办事项（销号管理）', itemsCommand);
  campaignRead('extensions', 'extension requests waiting for a decision 待审批延期申请', extensionsCommand);
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
    .addOption(langOption())
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
    .addOption(langOption())
    .action(
      guarded(async (o: { db?: string; url?: string; tick: string; lang?: Language }) => {
        const database = databaseTarget(o, io.env);
        const zh = cliLanguage(o.lang, io.env) === 'zh';
        const working = await startWorker({ database, tickMs: Number(o.tick), log });
        io.stderr(zh ? `定时器工作进程已启动：${describeDatabase(database)}（Ctrl-C 停止）\n` : `Worker firing due timers on ${describeDatabase(database)} (Ctrl-C stops it)\n`);
        await stopped();
        await working.close();
        return '';
      }),
    );
}

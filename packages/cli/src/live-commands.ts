import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { LuoshiError, validateProcessPaths, type Language } from '@luoshi/dsl';
import { CampaignClocks, checkedCampaignId, createEngine, SystemClock, VirtualClock, type Engine, type HostEvent, type InstanceState, type Light, type LightCounts, type OrganisationUnit } from '@luoshi/engine';
import { createKyselyStore, parseDatabaseUrl, pendingMigrations, unknownMigrations, type KyselyStore } from '@luoshi/store-kysely';
import { createBodyChecks, HttpError } from '@luoshi/http';
import { DateTime } from 'luxon';
import { CliError } from './cli-error.js';
import { describeDatabase, type DatabaseTarget } from './database-option.js';
import { ORGANISATION_FILE, parseEventJson, readJsonFile } from './json-file.js';
import { textTable } from './text-table.js';

/** Where a live campaign's data is: a SQLite file or a database URL (PostgreSQL). */
export interface StoreOptions {
  readonly database: DatabaseTarget;
}

/** Output options shared by the live commands. */
export interface OutputOptions {
  readonly format: 'text' | 'json';
  readonly lang: Language;
}

/**
 * Opens the engine on the store, runs `work` and closes the store. Nothing here fires a timer: time
 * moves only through a worker (`luoshi worker`, `luoshi serve`) or a rehearsal clock moved with
 * `luoshi clock`, so a command that reads answers as of what the database holds and writes nothing,
 * and one that writes applies only its own change. A change is stamped with its campaign's time:
 * the wall clock, or the campaign's rehearsal clock (演练时钟). `access`: `create` for a command that
 * may create the database (`migrate`, `deploy`, `start`); any other refuses a SQLite file that does
 * not exist (CLI_DATABASE_MISSING) rather than leave an empty one behind. `read` (`status`, `tasks`,
 * `history`, `items`, `extensions`) opens it read-only and never migrates it: a file that is empty,
 * holds no Luoshi tables or older ones is CLI_DATABASE_NOT_READY, left as it was (a read that
 * migrated turned an empty file into a database and upgraded a backup being looked at).
 */
export async function withEngine<T>(options: StoreOptions, work: (engine: Engine) => Promise<T>, access: 'read' | 'write' | 'create' = 'write'): Promise<T> {
  if (access !== 'create') requireDatabase(options.database);
  const store = access === 'read' ? await openReadOnly(options.database) : await openStore(options.database);
  const clock = new CampaignClocks(new SystemClock());
  try {
    await clock.refresh(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const engine = createEngine({ store, clock });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** A SQLite file that does not exist is CLI_DATABASE_MISSING (`:memory:` and PostgreSQL are the driver's to refuse). */
export function requireDatabase(database: DatabaseTarget): void {
  const file = 'sqlite' in database ? database.sqlite : sqliteFileOf(database.url);
  if (file === undefined || file === ':memory:' || file === '') return;
  if (!existsSync(file)) throw new CliError('CLI_DATABASE_MISSING', { database: file });
}

function sqliteFileOf(url: string): string | undefined {
  const location = parseDatabaseUrl(url);
  return location.kind === 'sqlite' ? location.file : undefined;
}

/**
 * Opens (and migrates; with `readOnly`, opens for reading only and never migrates) the store, turning a driver's failure (server down, no such database, refused
 * login, a file that is not a database) into `CLI_DATABASE_UNAVAILABLE`, which the command prints in
 * the user's language.
 */
export async function openStore(database: DatabaseTarget & { readonly readOnly?: boolean }): Promise<KyselyStore> {
  try {
    return await createKyselyStore(database);
  } catch (error) {
    if (error instanceof LuoshiError) throw error;
    const detail = error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error.name) : String(error);
    throw new CliError('CLI_DATABASE_UNAVAILABLE', { database: describeDatabase(database), detail }, { cause: error });
  }
}

/**
 * Opens the database for reading only (SQLite read-only, PostgreSQL read-only transactions) and
 * checks that it holds the store's tables at their latest migration, which a reader may not apply:
 * CLI_DATABASE_NOT_READY naming the missing ones otherwise, CLI_DATABASE_NEWER naming those a newer
 * release applied that this one does not know. Nothing is written either way.
 */
export async function openReadOnly(database: DatabaseTarget): Promise<KyselyStore> {
  const store = await openStore({ ...database, readOnly: true });
  let pending: string[];
  let unknown: string[] = [];
  try {
    pending = await pendingMigrations(store.db);
    if (pending.length === 0) unknown = await unknownMigrations(store.db);
  } catch (error) {
    await store.close();
    if (error instanceof LuoshiError) throw error;
    throw new CliError('CLI_DATABASE_UNAVAILABLE', { database: describeDatabase(database), detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
  if (pending.length > 0) {
    await store.close();
    throw new CliError('CLI_DATABASE_NOT_READY', { database: describeDatabase(database), pending: pending.join(', ') });
  }
  if (unknown.length > 0) {
    await store.close();
    throw new CliError('CLI_DATABASE_NEWER', { database: describeDatabase(database), unknown: unknown.join(', ') });
  }
  return store;
}

/**
 * The latest instant a rehearsal clock may stand at: the end of 9999 in Asia/Shanghai. Past it a
 * time has no four-digit year, and a clock moved there (Date's range ends in 275760) was stored and
 * shown as "Invalid DateTime".
 */
export const LAST_CLOCK_TIME = Date.parse('9999-12-31T23:59:59.999+08:00');

/** The zone the command line reads a time in (unless the time names one) and shows one in; its messages name it. */
export const CLI_ZONE = 'Asia/Shanghai';

/** A time given on the command line: ISO, in Asia/Shanghai unless it names a zone, in the years 1 to 9999. */
export function rehearsalTime(text: string): number {
  const now = DateTime.fromISO(text, { zone: CLI_ZONE });
  if (!now.isValid || now.year < 1 || now.toMillis() > LAST_CLOCK_TIME) throw new CliError('CLI_BAD_TIME', { text });
  return now.toMillis();
}

/** A time to the second in the zone `--now` is read in. */
export const clockText = (ms: number) => DateTime.fromMillis(ms, { zone: CLI_ZONE }).toFormat('yyyy-MM-dd HH:mm:ss');
const time = (ms: number | undefined) => (ms === undefined ? '' : DateTime.fromMillis(ms, { zone: CLI_ZONE }).toFormat('yyyy-MM-dd HH:mm'));
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** `luoshi deploy`: validates and deploys process files; prints each campaign's version. */
export async function deployCommand(paths: readonly string[], options: StoreOptions & OutputOptions): Promise<string> {
  return withEngine(options, async (engine) => {
    const deployed = await engine.deploy(validateProcessPaths(paths));
    if (options.format === 'json') return json(deployed);
    const zh = options.lang === 'zh';
    return textTable(zh ? ['过程', '版本', '新建'] : ['process', 'version', 'new'], deployed.map((d) => [d.processId, d.version, d.created ? (zh ? '是' : 'yes') : zh ? '否' : 'no']));
  }, 'create');
}

/**
 * `luoshi start`: starts a campaign over an organisation file. With `now`, on a rehearsal clock
 * (演练时钟) standing at that time: stamped then, and moved from then on only by `luoshi clock`.
 */
export async function startCommand(
  process: string,
  options: StoreOptions & OutputOptions & { org: string; campaign?: string; version?: number; now?: string },
): Promise<string> {
  // The id before the database is opened or created (and before a rehearsal clock is stored under it).
  if (options.campaign !== undefined) checkedCampaignId(options.campaign);
  // The engine checks the tree (ENGINE_INVALID_PAYLOAD); the file itself is checked here, its text never echoed.
  const organisation = readJsonFile(options.org, ORGANISATION_FILE) as OrganisationUnit;
  const at = options.now === undefined ? undefined : rehearsalTime(options.now);
  return withEngine(options, async (engine) => {
    // A rehearsal campaign's id is known before it starts: its clock is stored first, so no worker
    // ever sees its timers on the wall clock (a worker would end a 2010 rehearsal at once).
    const campaignId = options.campaign ?? (at === undefined ? undefined : `r-${randomUUID().slice(0, 8)}`);
    const rehearsal = at !== undefined && campaignId !== undefined && (await engine.store.getCampaign(campaignId)) === undefined;
    if (rehearsal) await engine.store.setCampaignClock(campaignId, at);
    const clocked = rehearsal ? createEngine({ store: engine.store, clock: new VirtualClock(at) }) : engine;
    let started;
    try {
      started = await clocked.startCampaign({
        process,
        organisation,
        ...(campaignId ? { campaignId } : {}),
        ...(options.version ? { version: options.version } : {}),
      });
    } catch (error) {
      if (rehearsal) await engine.store.setCampaignClock(campaignId, undefined);
      throw error;
    }
    if (options.format === 'json') return json(started);
    const zh = options.lang === 'zh';
    const clockNote = at === undefined ? '' : zh ? `，演练时钟 ${clockText(at)}` : `, on a rehearsal clock at ${clockText(at)}`;
    return `${zh ? '已启动活动' : 'Started campaign'} ${started.campaignId} (${started.processId} v${started.version}), ${started.instances.length} ${zh ? '个单位' : 'units'}${clockNote}\n`;
  }, 'create');
}

/**
 * `luoshi send`: applies one event to an instance. With `roles` (`--role`, repeatable) the actor holds
 * those roles and the event is checked against them as HTTP checks an actor's (the role the process
 * names for it, before the instance's state: ENGINE_FORBIDDEN); without, the console is trusted and
 * nothing is checked, as `Engine.send` without roles.
 */
export async function sendCommand(
  instanceId: string,
  eventJson: string,
  options: StoreOptions & OutputOptions & { actor?: string; key?: string; roles?: readonly string[] },
): Promise<string> {
  // HTTP always acts for an authenticated actor: roles without one would be checked for no one.
  if (options.roles !== undefined && options.roles.length > 0 && !options.actor) throw new CliError('CLI_ROLE_WITHOUT_ACTOR');
  const event = parseEventJson(eventJson) as HostEvent;
  // The same check as a POST of the event over HTTP: a field its type does not read, a missing or
  // mistyped one, is refused here too rather than dropped unseen.
  try {
    createBodyChecks()('HostEvent', event);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    throw new CliError('CLI_EVENT_SHAPE', { detail: error.localized('en'), detailZh: error.localized('zh') });
  }
  return withEngine(options, async (engine) => {
    const result = await engine.send(instanceId, event, {
      ...(options.actor ? { actor: options.actor } : {}),
      ...(options.key ? { idempotencyKey: options.key } : {}),
      ...(options.roles !== undefined && options.roles.length > 0 ? { roles: options.roles } : {}),
    });
    if (options.format === 'json') return json(result);
    const zh = options.lang === 'zh';
    if (result.duplicate) return zh ? `重复的请求，未再次处理（版本 ${result.revision}）\n` : `Duplicate, not applied again (revision ${result.revision})\n`;
    return zh
      ? `已处理：${instanceId} 版本 ${result.revision}，阶段 ${result.phase}，措施 ${result.effects} 项\n`
      : `Applied: ${instanceId} revision ${result.revision}, phase ${result.phase}, ${result.effects} effect(s)\n`;
  });
}

/** `luoshi status`: the roll-up of a campaign (or a unit and those under it) and its units. */
export async function statusCommand(campaignId: string, options: StoreOptions & OutputOptions & { unit?: string }): Promise<string> {
  return withEngine(options, async (engine) => {
    const rollup = await engine.rollup(campaignId, options.unit);
    const instances = (await engine.instances(campaignId)).filter((i) => i.unitPath.includes(`/${rollup.unitId}/`));
    if (options.format === 'json') return json({ rollup, instances: instances.map(({ value: _value, ...rest }) => rest) });
    const zh = options.lang === 'zh';
    const phases = Object.entries(rollup.phases).map(([p, n]) => `${p} ${n}`).join(', ');
    const head = zh
      ? `活动 ${campaignId}，${rollup.unitId} 及下属 ${rollup.units} 个单位：${phases}；逾期任务 ${rollup.overdueTasks} 项（${rollup.overdueUnits} 个单位）；问责 ${rollup.escalated} 人次\n`
      : `Campaign ${campaignId}, ${rollup.unitId} and ${rollup.units} unit(s) under it: ${phases}; ${rollup.overdueTasks} overdue task(s) in ${rollup.overdueUnits} unit(s); ${rollup.escalated} escalated\n`;
    // 红黄绿灯: only a campaign that declares lights has them (and a column for them).
    const lit = rollup.lights;
    const board = lit === undefined ? '' : zh ? `亮灯单位：${lightText(lit.units, true)}\n` : `Units by light: ${lightText(lit.units, false)}\n`;
    // 督办事项: a campaign with items counts them by light too.
    const itemBoard = lit?.items === undefined ? '' : zh ? `督办事项亮牌：${lightText(lit.items, true)}\n` : `Items by light: ${lightText(lit.items, false)}\n`;
    const columns = zh ? ['单位', '阶段', '逾期', '问责', '版本'] : ['unit', 'phase', 'overdue', 'escalated', 'revision'];
    const graded = instances.some((i) => i.grades !== undefined);
    return (
      head +
      board +
      itemBoard +
      '\n' +
      textTable(
        [
          ...columns.slice(0, 2),
          ...(lit === undefined ? [] : [zh ? '灯色' : 'light']),
          ...columns.slice(2, 4),
          ...(graded ? [zh ? '等次' : 'grades'] : []),
          ...columns.slice(4),
        ],
        // 未启动: a unit whose cohort (批次) has not started says so, with when it starts; 收尾: one
        // whose phases are over while work due after them is open says until when it may be done.
        instances.map((i) => {
          const phase = phaseText(i, zh);
          const light = i.light === undefined ? '' : zh ? LIGHT_ZH[i.light] : i.light;
          // 等次: a column only once some unit has been graded (a campaign without grades shows none).
          const grades = Object.entries(i.grades ?? {}).map(([grading, grade]) => `${grading} ${grade}`).join(', ');
          return [i.unitId, phase, ...(lit === undefined ? [] : [light]), i.overdue, i.escalated, ...(graded ? [grades] : []), i.revision];
        }),
      )
    );
  }, 'read');
}

/** 灯色 in Chinese, as a board shows them. */
const LIGHT_ZH: Readonly<Record<Light, string>> = { green: '绿灯', yellow: '黄灯', red: '红灯', blue: '蓝灯' };

/** Counts by light, worst first: "红灯 1, 黄灯 2, 绿灯 5, 蓝灯 0". */
function lightText(counts: LightCounts, zh: boolean): string {
  return (['red', 'yellow', 'green', 'blue'] as const).map((l) => `${zh ? LIGHT_ZH[l] : l} ${counts[l]}`).join(', ');
}

/** A unit's phase as `luoshi status` shows it: not started (未启动) or wrapping up (收尾) said with until when. */
function phaseText(i: InstanceState, zh: boolean): string {
  if (!i.started) return zh ? `${i.phase}（未启动，${time(i.startsAt)} 起）` : `${i.phase} (not started until ${time(i.startsAt)})`;
  if (i.closesAt !== undefined) return zh ? `${i.phase}（收尾，至 ${time(i.closesAt)} 止）` : `${i.phase} (wrapping up until ${time(i.closesAt)})`;
  return i.phase;
}

/** `luoshi history`: an instance's history. */
export async function historyCommand(instanceId: string, options: StoreOptions & OutputOptions): Promise<string> {
  return withEngine(options, async (engine) => {
    const history = await engine.history(instanceId);
    if (options.format === 'json') return json(history);
    const zh = options.lang === 'zh';
    return textTable(
      zh ? ['版本', '时间', '事件', '起因', '办理人', '幂等键'] : ['rev', 'at', 'event', 'cause', 'actor', 'key'],
      history.map((h) => [h.revision, time(h.at), describe(h.event), h.cause, h.actor ?? '', h.idempotencyKey ?? '']),
    );
  }, 'read');
}

/** `luoshi tasks`: an instance's tasks, optionally only some statuses or one member's. */
export async function tasksCommand(instanceId: string, options: StoreOptions & OutputOptions & { status?: string; member?: string }): Promise<string> {
  return withEngine(options, async (engine) => {
    const tasks = await engine.tasks(instanceId, {
      ...(options.status ? { status: options.status.split(',') } : {}),
      ...(options.member ? { member: options.member } : {}),
    });
    if (options.format === 'json') return json(tasks);
    const zh = options.lang === 'zh';
    // 红黄绿灯: a light column only in a campaign with lights (a task waiting for its deadline has none).
    const lit = tasks.some((t) => t.light !== undefined);
    const light = (t: (typeof tasks)[number]) => (t.light === undefined ? '' : zh ? LIGHT_ZH[t.light] : t.light);
    // 周期: a cycle column only in a cycled campaign.
    const cycled = tasks.some((t) => t.cycle !== undefined);
    return textTable(
      [
        zh ? '任务' : 'task',
        ...(cycled ? [zh ? '周期' : 'cycle'] : []),
        ...(zh ? ['成员', '状态'] : ['member', 'status']),
        ...(lit ? [zh ? '灯色' : 'light'] : []),
        ...(zh ? ['截止', '责任', '完成'] : ['due', 'owner', 'done at']),
      ],
      tasks.map((t) => [t.key, ...(cycled ? [t.cycle ?? ''] : []), t.member ?? '', t.status, ...(lit ? [light(t)] : []), time(t.dueAt), t.owner, time(t.completedAt)]),
    );
  }, 'read');
}

function describe(event: unknown): string {
  const e = event as Record<string, unknown>;
  const what = e.task ?? e.evaluation ?? e.inspection ?? e.key ?? e.ranking ?? e.decision ?? '';
  return `${String(e.type)}${what ? ` ${String(what)}` : ''}${e.member ? ` @${String(e.member)}` : ''}`;
}

/** `luoshi items`: the items tracked to closure (督办事项) of a campaign, or of a unit and those under it. */
export async function itemsCommand(campaignId: string, options: StoreOptions & OutputOptions & { unit?: string }): Promise<string> {
  return withEngine(options, async (engine) => {
    const items = await engine.items(campaignId, options.unit);
    if (options.format === 'json') return json(items);
    const zh = options.lang === 'zh';
    const light = (i: (typeof items)[number]) => (i.light === undefined ? '' : zh ? LIGHT_ZH[i.light] : i.light);
    // 黄牌、红牌: the cards each item has had (D2 counts them per item).
    const cards = (i: (typeof items)[number]) => (i.yellows === undefined && i.reds === undefined ? '' : `${i.yellows ?? 0}/${i.reds ?? 0}`);
    return textTable(
      zh ? ['单位', '事项', '类别', '状态', '责任人', '时限', '灯色', '黄牌/红牌', '督办层级'] : ['unit', 'item', 'kind', 'status', 'owner', 'due', 'light', 'yellows/reds', 'level'],
      items.map((i) => [i.unitId, i.item, i.kind, zh ? i.statusZh : i.status, i.owner ?? '', time(i.dueAt), light(i), cards(i), i.level ?? '']),
    );
  }, 'read');
}

/** 待审批延期申请 — `luoshi extensions <campaign>`: the office's inbox of extension requests waiting for a decision. */
export async function extensionsCommand(campaignId: string, options: StoreOptions & OutputOptions & { unit?: string }): Promise<string> {
  return withEngine(options, async (engine) => {
    const requests = await engine.extensions(campaignId, options.unit);
    if (options.format === 'json') return json(requests);
    const zh = options.lang === 'zh';
    return textTable(
      zh ? ['单位', '任务', '成员', '原期限', '申请期限', '已延期', '理由'] : ['unit', 'task', 'member', 'due', 'asked', 'extended', 'reason'],
      requests.map((r) => [r.unitId, r.key, r.member ?? '', time(r.dueAt), time(r.untilAt), String(r.extended), r.reason]),
    );
  }, 'read');
}

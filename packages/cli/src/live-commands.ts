import { readFileSync } from 'node:fs';
import { LuoshiError, validateProcessPaths, type Language } from '@luoshi/dsl';
import { createEngine, EngineError, VirtualClock, type Engine, type HostEvent, type InstanceState, type Light, type LightCounts, type OrganisationUnit } from '@luoshi/engine';
import { createKyselyStore, type KyselyStore } from '@luoshi/store-kysely';
import { DateTime } from 'luxon';
import { CliError } from './cli-error.js';
import { describeDatabase, type DatabaseTarget } from './database-option.js';
import { textTable } from './text-table.js';

/** Where a live campaign's data is: a SQLite file or a database URL (PostgreSQL). */
export interface StoreOptions {
  readonly database: DatabaseTarget;
  /** Act as if it were this time (ISO, in Asia/Shanghai unless it names a zone): rehearsals and tests. */
  readonly now?: string;
}

/** Output options shared by the live commands. */
export interface OutputOptions {
  readonly format: 'text' | 'json';
  readonly lang: Language;
}

/**
 * Opens the engine on the store with the wall clock, fires every timer that fell due while no engine
 * ran (deadlines, recurrences, rankings), runs `work` and closes the store.
 */
export async function withEngine<T>(options: StoreOptions, work: (engine: Engine) => Promise<T>): Promise<T> {
  const store = await openStore(options.database);
  let clock: VirtualClock | undefined;
  if (options.now !== undefined) {
    const now = DateTime.fromISO(options.now, { zone: 'Asia/Shanghai' });
    if (!now.isValid) {
      await store.close();
      throw new EngineError('ENGINE_INVALID_PAYLOAD', { type: '--now', detail: `"${options.now}" is not a time`, detailZh: `「${options.now}」不是时间` });
    }
    clock = new VirtualClock(now.toMillis());
    // 时间不倒流: every campaign's due timers fire at --now below, so it may not be before the latest
    // time any campaign in the database has applied (the engine would refuse each event anyway).
    const latest = await store.campaignTime();
    if (latest !== undefined && clock.now() < latest) {
      await store.close();
      throw new CliError('CLI_NOW_BEFORE_CLOCK', { now: clockText(clock.now()), clock: clockText(latest) });
    }
  }
  const engine = createEngine({ store, ...(clock ? { clock } : {}) });
  try {
    await engine.runDueTimers();
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/**
 * Opens (and migrates) the store, turning a driver's failure (server down, no such database, refused
 * login) into `CLI_DATABASE_UNAVAILABLE`, which the command prints in the user's language.
 */
export async function openStore(database: DatabaseTarget): Promise<KyselyStore> {
  try {
    return await createKyselyStore(database);
  } catch (error) {
    if (error instanceof LuoshiError) throw error;
    const detail = error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error.name) : String(error);
    throw new CliError('CLI_DATABASE_UNAVAILABLE', { database: describeDatabase(database), detail }, { cause: error });
  }
}

/** A time to the second in the zone `--now` is read in. */
const clockText = (ms: number) => DateTime.fromMillis(ms, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm:ss');
const time = (ms: number | undefined) => (ms === undefined ? '' : DateTime.fromMillis(ms, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm'));
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** `luoshi deploy`: validates and deploys process files; prints each campaign's version. */
export async function deployCommand(paths: readonly string[], options: StoreOptions & OutputOptions): Promise<string> {
  return withEngine(options, async (engine) => {
    const deployed = await engine.deploy(validateProcessPaths(paths));
    if (options.format === 'json') return json(deployed);
    const zh = options.lang === 'zh';
    return textTable(zh ? ['过程', '版本', '新建'] : ['process', 'version', 'new'], deployed.map((d) => [d.processId, d.version, d.created ? (zh ? '是' : 'yes') : zh ? '否' : 'no']));
  });
}

/** `luoshi start`: starts a campaign over an organisation file. */
export async function startCommand(
  process: string,
  options: StoreOptions & OutputOptions & { org: string; campaign?: string; version?: number },
): Promise<string> {
  const organisation = JSON.parse(readFileSync(options.org, 'utf8')) as OrganisationUnit;
  return withEngine(options, async (engine) => {
    const started = await engine.startCampaign({
      process,
      organisation,
      ...(options.campaign ? { campaignId: options.campaign } : {}),
      ...(options.version ? { version: options.version } : {}),
    });
    if (options.format === 'json') return json(started);
    const zh = options.lang === 'zh';
    return `${zh ? '已启动活动' : 'Started campaign'} ${started.campaignId} (${started.processId} v${started.version}), ${started.instances.length} ${zh ? '个单位' : 'units'}\n`;
  });
}

/** `luoshi send`: applies one event to an instance. */
export async function sendCommand(
  instanceId: string,
  eventJson: string,
  options: StoreOptions & OutputOptions & { actor?: string; key?: string },
): Promise<string> {
  const event = JSON.parse(eventJson) as HostEvent;
  return withEngine(options, async (engine) => {
    const result = await engine.send(instanceId, event, {
      ...(options.actor ? { actor: options.actor } : {}),
      ...(options.key ? { idempotencyKey: options.key } : {}),
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
    const columns = zh ? ['单位', '阶段', '逾期', '问责', '版本'] : ['unit', 'phase', 'overdue', 'escalated', 'revision'];
    const graded = instances.some((i) => i.grades !== undefined);
    return (
      head +
      board +
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
  });
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
  });
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
  });
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
    return textTable(
      zh ? ['单位', '事项', '类别', '状态', '责任人', '时限', '灯色', '督办层级'] : ['unit', 'item', 'kind', 'status', 'owner', 'due', 'light', 'level'],
      items.map((i) => [i.unitId, i.item, i.kind, zh ? i.statusZh : i.status, i.owner ?? '', time(i.dueAt), light(i), i.level ?? '']),
    );
  });
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
  });
}

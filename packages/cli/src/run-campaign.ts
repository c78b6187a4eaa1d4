import { dirname } from 'node:path';
import { validateProcessPaths, type Language } from '@luoshi/dsl';
import { DateTime } from 'luxon';
import {
  compilePlan,
  createEngine,
  EngineError,
  processBundle,
  runUntil,
  sampleOrganisation,
  VirtualClock,
  type Effect,
  type HostEvent,
  type OrganisationUnit,
} from '@luoshi/engine';
import { createKyselyStore } from '@luoshi/store-kysely';
import { CliError } from './cli-error.js';
import { EVENTS_FILE, ORGANISATION_FILE, readJsonFile } from './json-file.js';

/** One scripted event: when, to which unit, what. */
export interface ScriptedEvent {
  /** A local time in the campaign's zone, `2010-05-20T10:00`. */
  readonly at: string;
  readonly unit: string;
  readonly event: HostEvent;
  readonly actor?: string;
}

/** What `luoshi run` needs. */
export interface RunCampaignOptions {
  readonly file: string;
  readonly db: string;
  readonly organisation?: string;
  readonly units: number;
  readonly members: number;
  readonly events?: string;
  readonly lang: Language;
}

/**
 * Runs a campaign through the engine on a SQLite file with a virtual clock: deploys the process,
 * starts it over the organisation, applies the scripted events at their times with every timer in
 * between, runs to the campaign end and prints what happened. Returns the text to print.
 */
export async function runCampaign(options: RunCampaignOptions): Promise<string> {
  const validation = validateProcessPaths([options.file, dirname(options.file)]);
  const own = validation.files.find((f) => f.file === options.file);
  if (!own?.ok || own.definition?.kind !== 'campaign') {
    const first = (own?.diagnostics ?? validation.diagnostics).find((d) => d.severity === 'error');
    throw new EngineError('ENGINE_INVALID_DEFINITION', { detail: first ? `${first.file}:${first.line}:${first.column} ${first.message.en}` : `${options.file} is not a campaign` });
  }
  const campaign = own.definition;
  const organisation: OrganisationUnit = options.organisation
    ? (readJsonFile(options.organisation, ORGANISATION_FILE) as OrganisationUnit)
    : sampleOrganisation(options.units, options.members);
  const script: ScriptedEvent[] = options.events ? (readJsonFile(options.events, EVENTS_FILE) as ScriptedEvent[]) : [];
  if (!Array.isArray(script)) throw new CliError('CLI_FILE_INVALID', { ...EVENTS_FILE, at: options.events ?? '', detail: 'not a JSON array of events', detailZh: '不是事件的 JSON 数组' });
  const zone = campaign.timezone ?? 'Asia/Shanghai';
  const local = (text: string) => localTime(text, zone);

  const store = await createKyselyStore({ sqlite: options.db });
  const effects: Effect[] = [];
  const clock = new VirtualClock(0);
  const engine = createEngine({ store, clock, effects: { deliver: (e) => void effects.push(e) } });
  try {
    const [deployed] = (await engine.deploy(validation)).filter((d) => d.processId === campaign.id);
    const plan = compilePlan(processBundle(campaign, validation.subprocesses), 1);
    clock.advanceTo(plan.start);
    const started = await engine.startCampaign({ process: campaign.id, ...(deployed ? { version: deployed.version } : {}), organisation });
    const c = started.campaignId;
    const sorted = [...script].sort((a, b) => local(a.at) - local(b.at));
    const refusals: string[] = [];
    for (const step of sorted) {
      await runUntil(engine, clock, Math.max(clock.now(), local(step.at)));
      try {
        await engine.send(`${c}/${step.unit}`, step.event, step.actor ? { actor: step.actor } : {});
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        refusals.push(`  ${step.at} ${step.unit} ${step.event.type}: ${error.code} ${error.localized(options.lang)}`);
      }
    }
    await runUntil(engine, clock, plan.end + 1);
    await engine.deliverEffects();
    const instances = await engine.instances(c);
    const rollup = await engine.rollup(c);
    const lines: string[] = [];
    const zh = options.lang === 'zh';
    lines.push(
      zh
        ? `活动 ${campaign.title}（${campaign.id} 第${started.version}版），标识 ${c}，${instances.length} 个单位，数据库 ${options.db}`
        : `Campaign ${campaign.title} (${campaign.id} v${started.version}), id ${c}, ${instances.length} units, database ${options.db}`,
    );
    lines.push(zh ? `脚本事件 ${sorted.length} 个，被拒绝 ${refusals.length} 个` : `Scripted events: ${sorted.length}, refused: ${refusals.length}`);
    lines.push(...refusals.slice(0, 10));
    if (refusals.length > 10) lines.push(`  … ${refusals.length - 10}`);
    lines.push(`${zh ? '年终阶段' : 'Phases at the end'}: ${Object.entries(rollup.phases).map(([p, n]) => `${p} ${n}`).join(', ')}`);
    lines.push(zh ? `逾期任务 ${rollup.overdueTasks} 项，涉及 ${rollup.overdueUnits} 个单位` : `Overdue tasks: ${rollup.overdueTasks} in ${rollup.overdueUnits} units`);
    const overdueByTask = count(effects.filter((e) => e.cause.startsWith('overdue:')).map((e) => e.cause.slice(8).split(/[#@]/)[0] as string));
    for (const [task, n] of overdueByTask) lines.push(`  ${task}: ${n}`);
    const climbs = count(effects.filter((e) => e.cause.startsWith('ladder:')).map((e) => e.cause.slice(7).replace(/:(\d+)$/, ` ${zh ? '第$1级' : 'rung $1'}`)));
    lines.push(zh ? '问责阶梯：' : 'Ladder rungs reached:');
    if (climbs.length === 0) lines.push(zh ? '  无' : '  none');
    for (const [rung, n] of climbs) lines.push(`  ${rung}: ${n}`);
    lines.push(zh ? '评比排名：' : 'Rankings:');
    for (const ranking of plan.rankings) {
      const placed = effects.filter((e) => e.cause.startsWith(`ranking:${ranking.id}:`));
      const band = (b: string) => [...new Set(placed.filter((e) => e.cause.endsWith(`:${b}`)).map((e) => e.memberId ?? e.unitId))].join(' ') || '-';
      lines.push(`  ${ranking.title}: ${zh ? '前列' : 'top'} ${band('top')}; ${zh ? '末位' : 'bottom'} ${band('bottom')}`);
    }
    const kinds = count(effects.map((e) => e.effect));
    lines.push(`${zh ? '交给宿主的措施' : 'Effects delivered'}: ${effects.length} (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')})`);
    return `${lines.join('\n')}\n`;
  } finally {
    await engine.close();
  }
}


function localTime(text: string, zone: string): number {
  const time = DateTime.fromISO(text, { zone });
  if (!time.isValid) throw new EngineError('ENGINE_INVALID_PAYLOAD', { type: 'script', detail: `"${text}" is not a time`, detailZh: `「${text}」不是时间` });
  return time.toMillis();
}

function count(keys: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()];
}

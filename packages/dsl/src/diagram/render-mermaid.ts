import type { CampaignDefinition, ProcessFile, SubProcessDefinition } from '../model/process.js';
import type { StageBody } from '../model/stage.js';
import type { TrafficLights } from '../model/lights.js';

/**
 * Renders a process as a Mermaid `stateDiagram-v2`: phases in sequence, workstreams and
 * sub-process parts as parallel regions (separated by `--`), inspection loops as small cycles,
 * escalation ladders as chains of rungs. Sub-processes are drawn nested where they are used.
 */
export function renderMermaid(
  process: ProcessFile,
  subprocesses: ReadonlyMap<string, SubProcessDefinition> = new Map(),
): string {
  const out = new MermaidWriter(subprocesses);
  if (process.kind === 'campaign') out.campaign(process);
  else out.subprocessTop(process);
  return out.toString();
}

class MermaidWriter {
  readonly #lines: string[] = ['stateDiagram-v2'];
  #counter = 0;

  constructor(readonly subprocesses: ReadonlyMap<string, SubProcessDefinition>) {}

  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }

  line(depth: number, text: string): void {
    this.#lines.push(`${'  '.repeat(depth + 1)}${text}`);
  }

  declare(depth: number, label: string): string {
    const id = `s${++this.#counter}`;
    this.line(depth, `state "${escapeLabel(label)}" as ${id}`);
    return id;
  }

  campaign(campaign: CampaignDefinition): void {
    const ids = campaign.phases.map((phase) => {
      const label = phase.window ? `${phase.title}（${phase.window}）` : phase.title;
      const id = this.declare(0, label);
      if (hasWork(phase)) this.composite(0, id, phase, [phase.id]);
      return id;
    });
    const index = new Map(campaign.phases.map((p, i) => [p.id, ids[i] as string]));
    if (ids[0]) this.line(0, `[*] --> ${ids[0]}`);
    campaign.phases.forEach((phase, i) => {
      const from = ids[i] as string;
      const target = (next: string): string => (next === 'end' ? '[*]' : (index.get(next) ?? '[*]'));
      if (phase.exit !== 'decision') {
        const next = phase.next ?? campaign.phases[i + 1]?.id ?? 'end';
        const label = phase.exit === 'all-required-done' ? ' : 任务完成 all done' : phase.window ? ' : 时段结束 window end' : '';
        this.line(0, `${from} --> ${target(next)}${label}`);
      }
      for (const decision of phase.decisions ?? []) {
        for (const option of decision.options) {
          this.line(0, `${from} --> ${target(option.next)} : ${escapeEdge(`${decision.title}：${option.title ?? option.id}`)}`);
        }
      }
    });
    for (const ladder of campaign.ladders ?? []) {
      const id = this.declare(0, `问责阶梯：${ladder.title}`);
      this.line(0, `state ${id} {`);
      const rungs = ladder.rungs.map((rung) => this.declare(1, `第${rung.level}次：${[...(rung.actions ?? []), ...(rung.flags ?? [])].join('、') || '记录'}`));
      if (rungs[0]) this.line(1, `[*] --> ${rungs[0]}`);
      rungs.forEach((rung, i) => {
        const next = rungs[i + 1];
        if (next) this.line(1, `${rung} --> ${next} : 再次查实`);
      });
      this.line(0, '}');
    }
    for (const ranking of campaign.rankings ?? []) {
      this.declare(0, `评比排名：${ranking.title}（${ranking.at}）`);
    }
    // Duties of the whole campaign run beside every phase: drawn once, outside them.
    for (const duty of campaign.recurring ?? []) this.declare(0, `全程常态：${duty.title}（${duty.every}）`);
    if (campaign.standing === true) this.declare(0, '长效机制：无结束日期，由决定终止');
    if (campaign.lights) this.lights(campaign.lights);
  }

  /** 红黄绿灯: a task's lights as a small chain (red turns only when the work is done), with urging. */
  lights(lights: TrafficLights): void {
    const id = this.declare(0, '红黄绿灯：每项任务');
    this.line(0, `state ${id} {`);
    const green = this.declare(1, '绿灯');
    const yellow = this.declare(1, '黄灯');
    const red = this.declare(1, '红灯');
    const done = this.declare(1, lights.blue === true ? '蓝灯（办结）' : '办结（绿灯）');
    this.line(1, `[*] --> ${green}`);
    this.line(1, `${green} --> ${yellow} : ${escapeEdge(`截止日前${lights.yellowBefore}`)}`);
    this.line(1, `${yellow} --> ${red} : 逾期`);
    for (const from of [green, yellow, red]) this.line(1, `${from} --> ${done} : 办结`);
    if (lights.urge) this.declare(1, `催办：每${lights.urge.every}，最多${lights.urge.times}次（自${lights.urge.from === 'overdue' ? '逾期' : '黄灯'}起）`);
    this.line(0, '}');
  }

  subprocessTop(sub: SubProcessDefinition): void {
    const id = this.declare(0, `子流程：${sub.title}`);
    this.line(0, `[*] --> ${id}`);
    this.subprocessBody(0, id, sub, [sub.id]);
    this.line(0, `${id} --> [*]`);
  }

  /** Writes `state id { … }` with one region per concurrent piece of work. */
  composite(depth: number, id: string, body: StageBody, stack: readonly string[]): void {
    this.line(depth, `state ${id} {`);
    const regions: ((d: number) => void)[] = [];
    const items = [
      ...(body.tasks ?? []).map((t) => `任务：${t.title}${t.due ? `（${t.due}）` : ''}`),
      ...(body.recurring ?? []).map((r) => `常态：${r.title}（${r.every}）`),
      ...(body.evaluations ?? []).map((e) => `评价：${e.title}`),
    ];
    if (items.length > 0) regions.push((d) => items.forEach((label) => this.declare(d, label)));
    for (const inspection of body.inspections ?? []) {
      regions.push((d) => {
        const loop = this.declare(d, `检查整改：${inspection.title}`);
        this.line(d, `state ${loop} {`);
        const check = this.declare(d + 1, '检查');
        const rectify = this.declare(d + 1, `限期整改（${inspection.rectifyWithin}）`);
        this.line(d + 1, `[*] --> ${check}`);
        this.line(d + 1, `${check} --> [*] : 未发现问题`);
        this.line(d + 1, `${check} --> ${rectify} : 发现问题`);
        if (inspection.reinspect === false) {
          this.line(d + 1, `${rectify} --> [*] : 整改完成`);
        } else {
          const recheck = this.declare(d + 1, '复验');
          this.line(d + 1, `${rectify} --> ${recheck}`);
          this.line(d + 1, `${recheck} --> [*] : 通过`);
          this.line(d + 1, `${recheck} --> ${rectify} : 未通过`);
        }
        this.line(d, '}');
      });
    }
    for (const stream of body.workstreams ?? []) {
      regions.push((d) => {
        const sid = this.declare(d, `工作线：${stream.title}`);
        if (hasWork(stream)) this.composite(d, sid, stream, stack);
      });
    }
    for (const use of body.uses ?? []) {
      regions.push((d) => {
        const sub = this.subprocesses.get(use.use);
        const uid = this.declare(d, `子流程：${use.title ?? sub?.title ?? use.use}`);
        if (sub && !stack.includes(sub.id)) this.subprocessBody(d, uid, sub, [...stack, sub.id]);
      });
    }
    regions.forEach((region, i) => {
      if (i > 0) this.line(depth + 1, '--');
      region(depth + 1);
    });
    this.line(depth, '}');
  }

  subprocessBody(depth: number, id: string, sub: SubProcessDefinition, stack: readonly string[]): void {
    const parts = sub.parts ?? [];
    if (sub.mode === 'sequence' && parts.length > 0) {
      this.line(depth, `state ${id} {`);
      const ids = parts.map((part) => {
        const pid = this.declare(depth + 1, part.title);
        if (hasWork(part)) this.composite(depth + 1, pid, part, stack);
        return pid;
      });
      this.line(depth + 1, `[*] --> ${ids[0] as string}`);
      ids.forEach((pid, i) => this.line(depth + 1, `${pid} --> ${ids[i + 1] ?? '[*]'}`));
      this.line(depth, '}');
      return;
    }
    this.composite(depth, id, { ...sub, workstreams: [...(sub.workstreams ?? []), ...parts] }, stack);
  }
}

function hasWork(body: StageBody): boolean {
  return Boolean(
    body.tasks?.length ||
      body.recurring?.length ||
      body.evaluations?.length ||
      body.inspections?.length ||
      body.uses?.length ||
      body.workstreams?.length,
  );
}

function escapeLabel(text: string): string {
  return text.replace(/"/g, '”').replace(/\s+/g, ' ');
}

function escapeEdge(text: string): string {
  return text.replace(/:/g, '：').replace(/\s+/g, ' ');
}

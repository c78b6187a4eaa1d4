import type { CampaignDefinition, ProcessFile, SubProcessDefinition } from '../model/process.js';
import type { StageBody } from '../model/stage.js';
import type { TrafficLights } from '../model/lights.js';
import type { Language } from '../errors/luoshi-error.js';
import { parseDurationSpec } from '../calendar/duration-spec.js';

/**
 * How much to draw (绘制范围). `overview` (the default) keeps a campaign readable at the size a page
 * or an editor preview shows it: the phases in sequence, in each its workstreams stacked one under
 * another with their work listed, sub-processes as their parts, inspection loops as one line.
 * `full` draws every region, loop and sub-process nested where it runs, side by side as Mermaid
 * lays out parallel regions (seed 002 is then about 7,000 px wide).
 */
export type MermaidView = 'overview' | 'full';

/** How to draw: the language of every label (one language per label, Chinese by default), the view, one phase alone. */
export interface MermaidOptions {
  readonly lang?: Language;
  /** Default: `overview`, or `full` with `phase`. */
  readonly view?: MermaidView;
  /** A phase id: draw only that phase (an id the campaign lacks draws an empty diagram). */
  readonly phase?: string;
}

/**
 * The fixed words of the diagram in both languages. A label built around a title is in English only
 * when the title has a `titleEn`; otherwise it stays wholly Chinese, so no label mixes the two.
 */
const WORDS = {
  task: ['任务', 'Task'],
  duty: ['常态', 'Duty'],
  evaluation: ['评价', 'Evaluation'],
  inspection: ['检查整改', 'Inspection'],
  workstream: ['工作线', 'Workstream'],
  subprocess: ['子流程', 'Sub-process'],
  ladder: ['问责阶梯', 'Escalation ladder'],
  ranking: ['评比排名', 'Ranking'],
  campaignDuty: ['全程常态', 'Duty throughout'],
  allDone: ['任务完成', 'all done'],
  windowEnd: ['时段结束', 'window ends'],
  again: ['再次查实', 'verified again'],
  check: ['检查', 'Check'],
  recheck: ['复验', 'Re-inspection'],
  passed: ['通过', 'passed'],
  failed: ['未通过', 'failed'],
  found: ['发现问题', 'problem found'],
  clean: ['未发现问题', 'no problem'],
  rectified: ['整改完成', 'rectified'],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * Renders a process as a Mermaid `stateDiagram-v2`: phases in sequence, workstreams and
 * sub-process parts as parallel regions (separated by `--`), inspection loops as small cycles,
 * escalation ladders as chains of rungs. Sub-processes are drawn nested where they are used.
 */
export function renderMermaid(
  process: ProcessFile,
  subprocesses: ReadonlyMap<string, SubProcessDefinition> = new Map(),
  options: MermaidOptions = {},
): string {
  const out = new MermaidWriter(subprocesses, options.lang ?? 'zh', options.view ?? (options.phase === undefined ? 'overview' : 'full'));
  if (process.kind === 'campaign' && options.phase !== undefined) out.onePhase(process, options.phase);
  else if (process.kind === 'campaign') out.campaign(process);
  else out.subprocessTop(process);
  return out.toString();
}

class MermaidWriter {
  readonly #lines: string[] = ['stateDiagram-v2'];
  #counter = 0;
  /** Extra indentation of every line written: the overview draws the campaign's rules inside one group. */
  #indent = 0;

  constructor(
    readonly subprocesses: ReadonlyMap<string, SubProcessDefinition>,
    readonly lang: Language,
    readonly view: MermaidView,
  ) {}

  /** A fixed word in the diagram's language. */
  word(key: keyof typeof WORDS): string {
    return WORDS[key][this.lang === 'en' ? 1 : 0];
  }

  /** `Task: title (detail)` in English when the thing has an English title, else `任务：标题（细节）`. */
  named(key: keyof typeof WORDS | undefined, thing: { title: string; titleEn?: string | undefined }, detail?: string): string {
    const en = this.lang === 'en' && thing.titleEn !== undefined && thing.titleEn !== '';
    const [zhWord, enWord] = key === undefined ? ['', ''] : WORDS[key];
    if (en) return `${key === undefined ? '' : `${enWord}: `}${thing.titleEn}${detail ? ` (${detail})` : ''}`;
    return `${key === undefined ? '' : `${zhWord}：`}${thing.title}${detail ? `（${detail}）` : ''}`;
  }

  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }

  line(depth: number, text: string): void {
    this.#lines.push(`${'  '.repeat(depth + 1 + this.#indent)}${text}`);
  }

  declare(depth: number, label: string): string {
    const id = `s${++this.#counter}`;
    this.line(depth, `state "${escapeLabel(label)}" as ${id}`);
    return id;
  }

  /** One phase alone, in full: the detail the overview leaves out, one phase at a time. */
  onePhase(campaign: CampaignDefinition, phaseId: string): void {
    const phase = campaign.phases.find((p) => p.id === phaseId);
    if (phase === undefined) return;
    const id = this.declare(0, this.named(undefined, phase, phase.window));
    if (hasWork(phase)) this.composite(0, id, phase, [phase.id]);
    this.line(0, `[*] --> ${id}`);
    this.line(0, `${id} --> [*]`);
  }

  campaign(campaign: CampaignDefinition): void {
    const ids = campaign.phases.map((phase) => {
      const id = this.declare(0, this.named(undefined, phase, phase.window));
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
        const label = phase.exit === 'all-required-done' ? ` : ${this.word('allDone')}` : phase.window ? ` : ${this.word('windowEnd')}` : '';
        this.line(0, `${from} --> ${target(next)}${label}`);
      }
      for (const decision of phase.decisions ?? []) {
        for (const option of decision.options) {
          this.line(0, `${from} --> ${target(option.next)} : ${escapeEdge(`${decision.title}：${option.title ?? option.id}`)}`);
        }
      }
    });
    this.rules(campaign);
  }

  /**
   * The rules that run beside the phases: ladders, rankings, duties of the whole campaign, a standing
   * mechanism, the lights. Side by side they are the widest row of the drawing; the overview stacks
   * them in one group.
   */
  rules(campaign: CampaignDefinition): void {
    const any = Boolean(campaign.ladders?.length || campaign.rankings?.length || campaign.recurring?.length || campaign.standing === true || campaign.lights);
    const grouped = this.view === 'overview' && any;
    if (grouped) {
      const id = this.declare(0, this.lang === 'en' ? 'Rules beside the phases' : '贯穿全程的规则');
      this.line(0, `state ${id} {`);
      this.line(1, 'direction LR');
      this.#indent += 1;
    }
    for (const ladder of campaign.ladders ?? []) {
      const id = this.declare(0, this.named('ladder', ladder));
      this.line(0, `state ${id} {`);
      const rungs = ladder.rungs.map((rung) => this.declare(1, `第${rung.level}次：${[...(rung.actions ?? []), ...(rung.flags ?? [])].join('、') || '记录'}`));
      if (rungs[0]) this.line(1, `[*] --> ${rungs[0]}`);
      rungs.forEach((rung, i) => {
        const next = rungs[i + 1];
        if (next) this.line(1, `${rung} --> ${next} : ${this.word('again')}`);
      });
      this.line(0, '}');
    }
    for (const ranking of campaign.rankings ?? []) {
      this.declare(0, this.named('ranking', ranking, ranking.at));
    }
    // Duties of the whole campaign run beside every phase: drawn once, outside them.
    for (const duty of campaign.recurring ?? []) this.declare(0, this.named('campaignDuty', duty, duty.every));
    if (campaign.standing === true) this.declare(0, '长效机制：无结束日期，由决定终止');
    if (campaign.lights) this.lights(campaign.lights);
    if (grouped) {
      this.#indent -= 1;
      this.line(0, '}');
    }
  }

  /** 红黄绿灯: a task's lights as a small chain (red turns only when the work is done), with urging. */
  lights(lights: TrafficLights): void {
    const en = this.lang === 'en';
    const id = this.declare(0, en ? 'Traffic lights: every task' : '红黄绿灯：每项任务');
    this.line(0, `state ${id} {`);
    const green = this.declare(1, en ? 'Green' : '绿灯');
    const yellow = this.declare(1, en ? 'Yellow' : '黄灯');
    const red = this.declare(1, en ? 'Red' : '红灯');
    const done = this.declare(1, lights.blue === true ? (en ? 'Blue (done)' : '蓝灯（办结）') : en ? 'Done (green)' : '办结（绿灯）');
    this.line(1, `[*] --> ${green}`);
    this.line(1, `${green} --> ${yellow} : ${escapeEdge(en ? `${lights.yellowBefore} before the deadline` : `截止日前${lights.yellowBefore}`)}`);
    this.line(1, `${yellow} --> ${red} : ${en ? 'overdue' : '逾期'}`);
    for (const from of [green, yellow, red]) this.line(1, `${from} --> ${done} : ${en ? 'done' : '办结'}`);
    if (lights.urge) {
      const { every, times, from } = lights.urge;
      this.declare(
        1,
        en
          ? `Urging: every ${every}, at most ${times} times (from ${from === 'overdue' ? 'overdue' : 'yellow'})`
          : `催办：每${every}，最多${times}次（自${from === 'overdue' ? '逾期' : '黄灯'}起）`,
      );
    }
    this.line(0, '}');
  }

  subprocessTop(sub: SubProcessDefinition): void {
    const id = this.declare(0, this.named('subprocess', sub));
    this.line(0, `[*] --> ${id}`);
    this.subprocessBody(0, id, sub, [sub.id]);
    this.line(0, `${id} --> [*]`);
  }

  /** Writes `state id { … }` with one region per concurrent piece of work (the overview: one list). */
  composite(depth: number, id: string, body: StageBody, stack: readonly string[]): void {
    if (this.view === 'overview') {
      this.listed(depth, id, body, stack);
      return;
    }
    this.line(depth, `state ${id} {`);
    const regions: ((d: number) => void)[] = [];
    const items = [
      ...(body.tasks ?? []).map((t) => this.named('task', t, t.due)),
      ...(body.recurring ?? []).map((r) => this.named('duty', r, r.every)),
      ...(body.evaluations ?? []).map((e) => this.named('evaluation', e)),
    ];
    if (items.length > 0) regions.push((d) => items.forEach((label) => this.declare(d, label)));
    for (const inspection of body.inspections ?? []) {
      regions.push((d) => {
        const loop = this.declare(d, this.named('inspection', inspection));
        this.line(d, `state ${loop} {`);
        const check = this.declare(d + 1, this.word('check'));
        const within = this.lang === 'en' ? englishDuration(inspection.rectifyWithin) : undefined;
        const rectify = this.declare(d + 1, within !== undefined ? `Rectify within ${within}` : `限期整改（${inspection.rectifyWithin}）`);
        this.line(d + 1, `[*] --> ${check}`);
        this.line(d + 1, `${check} --> [*] : ${this.word('clean')}`);
        this.line(d + 1, `${check} --> ${rectify} : ${this.word('found')}`);
        if (inspection.reinspect === false) {
          this.line(d + 1, `${rectify} --> [*] : ${this.word('rectified')}`);
        } else {
          const recheck = this.declare(d + 1, this.word('recheck'));
          this.line(d + 1, `${rectify} --> ${recheck}`);
          this.line(d + 1, `${recheck} --> [*] : ${this.word('passed')}`);
          this.line(d + 1, `${recheck} --> ${rectify} : ${this.word('failed')}`);
        }
        this.line(d, '}');
      });
    }
    for (const stream of body.workstreams ?? []) {
      regions.push((d) => {
        const sid = this.declare(d, this.named('workstream', stream));
        if (hasWork(stream)) this.composite(d, sid, stream, stack);
      });
    }
    for (const use of body.uses ?? []) {
      regions.push((d) => {
        const sub = this.subprocesses.get(use.use);
        const uid = this.declare(d, this.named('subprocess', use.title !== undefined ? { title: use.title } : (sub ?? { title: use.use })));
        if (sub && !stack.includes(sub.id)) this.subprocessBody(d, uid, sub, [...stack, sub.id]);
      });
    }
    regions.forEach((region, i) => {
      if (i > 0) this.line(depth + 1, '--');
      region(depth + 1);
    });
    this.line(depth, '}');
  }

  /**
   * The overview of a body: its work as unconnected states under `direction LR`, which Mermaid stacks
   * one under another; workstreams nested the same way; a sub-process as its parts, each one line;
   * an inspection loop as one line.
   */
  listed(depth: number, id: string, body: StageBody, stack: readonly string[]): void {
    this.line(depth, `state ${id} {`);
    this.line(depth + 1, 'direction LR');
    for (const t of body.tasks ?? []) this.declare(depth + 1, this.named('task', t, t.due));
    for (const r of body.recurring ?? []) this.declare(depth + 1, this.named('duty', r, r.every));
    for (const e of body.evaluations ?? []) this.declare(depth + 1, this.named('evaluation', e));
    for (const inspection of body.inspections ?? []) {
      // The detail in the label's language: English only when the title is (see `named`).
      const within = this.lang === 'en' && inspection.titleEn ? englishDuration(inspection.rectifyWithin) : undefined;
      const detail = within !== undefined ? `rectify within ${within}` : `限期整改${inspection.rectifyWithin}`;
      this.declare(depth + 1, this.named('inspection', inspection, detail));
    }
    for (const stream of body.workstreams ?? []) {
      const sid = this.declare(depth + 1, this.named('workstream', stream));
      if (hasWork(stream)) this.listed(depth + 1, sid, stream, stack);
    }
    for (const use of body.uses ?? []) {
      const sub = this.subprocesses.get(use.use);
      const uid = this.declare(depth + 1, this.named('subprocess', use.title !== undefined ? { title: use.title } : (sub ?? { title: use.use })));
      const parts = sub && !stack.includes(sub.id) ? [...(sub.parts ?? []), ...(sub.workstreams ?? [])] : [];
      if (parts.length === 0) continue;
      this.line(depth + 1, `state ${uid} {`);
      this.line(depth + 2, 'direction LR');
      for (const part of parts) this.declare(depth + 2, `${part.title}（${countWork(part)}${this.lang === 'en' ? ' items' : '项'}）`);
      this.line(depth + 1, '}');
    }
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

/** "30天" → "30 days", for an English label; undefined when the text is not a duration. */
function englishDuration(text: string): string | undefined {
  const spec = parseDurationSpec(text);
  if (spec === undefined) return undefined;
  const unit = spec.unit === 'working-day' ? 'working day' : spec.unit;
  return `${spec.amount} ${unit}${spec.amount === 1 ? '' : 's'}`;
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

/** The pieces of work a body holds, counted through its workstreams (a sub-process used counts one). */
function countWork(body: StageBody): number {
  const own = (body.tasks?.length ?? 0) + (body.recurring?.length ?? 0) + (body.evaluations?.length ?? 0) + (body.inspections?.length ?? 0) + (body.uses?.length ?? 0);
  return own + (body.workstreams ?? []).reduce((n, w) => n + countWork(w), 0);
}

function escapeLabel(text: string): string {
  return text.replace(/"/g, '”').replace(/\s+/g, ' ');
}

function escapeEdge(text: string): string {
  return text.replace(/:/g, '：').replace(/\s+/g, ' ');
}

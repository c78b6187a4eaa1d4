import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderMermaid } from '../src/diagram/render-mermaid.js';
import { validateProcessPaths } from '../src/validate/validate-processes.js';

const result = validateProcessPaths([fileURLToPath(new URL('../../../processes/', import.meta.url))]);

/** Reads state labels and the transitions between them out of the Mermaid text. */
function parseDiagram(text: string) {
  const labels = new Map<string, string>();
  for (const m of text.matchAll(/state "([^"]+)" as (s\d+)/g)) labels.set(m[2] as string, m[1] as string);
  const edges = [...text.matchAll(/^\s*(\S+) --> (\S+)/gm)].map((m) => [labels.get(m[1] as string) ?? m[1], labels.get(m[2] as string) ?? m[2]]);
  return { labels: [...labels.values()], edges };
}

describe('Mermaid diagrams', () => {
  const campaign = result.campaigns.get('机关作风建设年');
  if (!campaign) throw new Error('seed 002 missing');
  const text = renderMermaid(campaign, result.subprocesses, { view: 'full' });
  const { labels, edges } = parseDiagram(text);

  it('start with stateDiagram-v2 and chain the phases in order to the end', () => {
    expect(text.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(edges).toContainEqual(['[*]', '动员部署阶段（4月至5月）']);
    expect(edges).toContainEqual(['动员部署阶段（4月至5月）', '组织实施阶段（6月至11月）']);
    expect(edges).toContainEqual(['组织实施阶段（6月至11月）', '巩固提高阶段（12月）']);
    expect(edges).toContainEqual(['巩固提高阶段（12月）', '[*]']);
  });

  it('draw workstreams as parallel regions separated by --', () => {
    const body = text.slice(text.indexOf('state s5 {'));
    const regionSeparators = body.slice(0, body.indexOf('\n  }\n')).match(/^ {4}--$/gm) ?? [];
    expect(regionSeparators.length).toBe(4);
    expect(labels).toContain('工作线：抓好“五评”考评');
  });

  it('nest sub-processes where they are used, two levels deep', () => {
    expect(labels).toContain('子流程：“五评”考评');
    expect(labels).toContain('子流程：群众满意度测评');
    expect(labels).toContain('评价：群众满意度测评得分');
  });

  it('draw inspection loops and ladders as cycles and chains', () => {
    expect(edges).toContainEqual(['复验', '限期整改（30天）']);
    expect(edges).toContainEqual(['第1次：诫勉谈话', '第2次：通报批评']);
    expect(edges).toContainEqual(['第2次：通报批评', '第3次：交流换岗']);
  });

  it('balance every opened block', () => {
    expect((text.match(/\{$/gm) ?? []).length).toBe((text.match(/^\s*\}$/gm) ?? []).length);
  });

  it('draw decisions as labelled transitions', () => {
    const withDecision = {
      ...campaign,
      phases: campaign.phases.map((p, i) =>
        i === 1 ? { ...p, exit: 'decision' as const, decisions: [{ id: '验收', title: '阶段验收', by: '领导小组', options: [{ id: '通过', next: '巩固提高' }, { id: '返工', next: '动员部署' }] }] } : p,
      ),
    };
    const decided = parseDiagram(renderMermaid(withDecision, result.subprocesses, { view: 'full' })).edges;
    expect(decided).toContainEqual(['组织实施阶段（6月至11月）', '动员部署阶段（4月至5月）']);
    expect(decided).not.toContainEqual(['组织实施阶段（6月至11月）', '[*]']);
  });

  it('draw the duties of the whole campaign and a standing mechanism once, beside the phases', () => {
    const standing = { ...campaign, standing: true, recurring: [{ id: '进展报告', title: '每季度报送工作进展', owner: '支部', every: '每季度' }] };
    const drawn = parseDiagram(renderMermaid(standing, result.subprocesses)).labels;
    expect(drawn).toContain('全程常态：每季度报送工作进展（每季度）');
    expect(drawn).toContain('长效机制：无结束日期，由决定终止');
    expect(labels.filter((l) => l.startsWith('全程常态') || l.startsWith('长效机制'))).toEqual([]);
  });

  it('draw the traffic lights as a chain where red turns only when the work is done, with the urging', () => {
    const lit = { ...campaign, lights: { yellowBefore: '3个工作日', blue: true, urge: { every: '2个工作日', times: 3 } } };
    const { labels: drawn, edges } = parseDiagram(renderMermaid(lit, result.subprocesses));
    expect(edges).toContainEqual(['绿灯', '黄灯']);
    expect(edges).toContainEqual(['黄灯', '红灯']);
    expect(edges).toContainEqual(['红灯', '蓝灯（办结）']);
    expect(edges).not.toContainEqual(['红灯', '黄灯']);
    expect(drawn).toContain('催办：每2个工作日，最多3次（自黄灯起）');
    expect(labels.filter((l) => l.startsWith('红黄绿灯'))).toEqual([]);
  });
});

describe('docs/campaigns.md', () => {
  it('holds the current diagram of every bundled campaign (regenerate with `npm run docs:diagrams`)', async () => {
    const { readFileSync } = await import('node:fs');
    // @ts-expect-error: plain ESM helper, no type declarations
    const { renderCampaignsPage } = await import('../scripts/diagrams-page.mjs');
    const committed = readFileSync(new URL('../../../docs/campaigns.md', import.meta.url), 'utf8');
    expect(committed).toBe(await renderCampaignsPage());
    expect(committed.match(/```mermaid/g)?.length).toBe(3);
  });
});

describe('the language of Mermaid labels', () => {
  const campaign = result.campaigns.get('机关作风建设年');
  if (!campaign) throw new Error('seed 002 missing');
  const han = /\p{Script=Han}/u;
  const latin = /[A-Za-z]/;
  /** Every state label and every transition label of a diagram. */
  const labelsOf = (text: string) => [...text.matchAll(/state "([^"]+)" as s\d+/g), ...text.matchAll(/ --> \S+ : (.+)$/gm)].map((m) => m[1] as string);

  it('in Chinese by default: no English word on a phase edge or an inspection loop', () => {
    const text = renderMermaid(campaign, result.subprocesses);
    expect(text).toContain(': 时段结束\n');
    expect(labelsOf(text).filter((l) => latin.test(l))).toEqual([]);
  });

  it('in English with lang en: fixed words in English, an English title where the file gives one, no label in both', () => {
    const text = renderMermaid(campaign, result.subprocesses, { lang: 'en', view: 'full' });
    // wuping.yaml gives 五评 the English title "Five-way evaluation".
    expect(text).toContain('state "Sub-process: Five-way evaluation"');
    expect(text).toContain(': window ends\n');
    expect(text).toMatch(/ --> \[\*\] : no problem$/m);
    for (const drawn of [text, renderMermaid(campaign, result.subprocesses, { lang: 'en' })]) {
      const mixed = labelsOf(drawn).filter((l) => han.test(l) && latin.test(l.replace(/[A-Za-z]+\s*\d|\d+\s*[A-Za-z]+/g, '')));
      expect(mixed).toEqual([]);
    }
  });
});

describe('the overview, the default view (概览)', () => {
  const campaign = result.campaigns.get('机关作风建设年');
  if (!campaign) throw new Error('seed 002 missing');
  const text = renderMermaid(campaign, result.subprocesses);
  const { labels, edges } = parseDiagram(text);

  it('keeps the phases in sequence and stacks the work of each (no parallel regions, direction LR in every group)', () => {
    expect(edges).toContainEqual(['动员部署阶段（4月至5月）', '组织实施阶段（6月至11月）']);
    expect(text).not.toMatch(/^\s*--$/m);
    const opened = text.match(/\{$/gm)?.length ?? 0;
    expect(opened).toBeGreaterThan(0);
    // Every group but the one ladder of seed 002, which stays a chain of rungs.
    expect(text.match(/^\s*direction LR$/gm)?.length).toBe(opened - 1);
  });

  it('lists every workstream and task of the phases, and 五评 as its five parts with the work in each, counted by hand', () => {
    for (const l of ['工作线：认真抓好学习教育', '工作线：抓好“五评”考评', '子流程：“五评”考评', '常态：落实中心组每月学习制度（每月）']) expect(labels).toContain(l);
    // wuping.yaml: 自评 2 tasks + 2 evaluations; 互评 2 evaluations; 抽查评议 1 evaluation + 1 inspection;
    // 社会评议 1 task + 1 evaluation + 1 inspection; 群众测评 the 群众满意度测评 sub-process.
    expect(labels).toEqual(expect.arrayContaining(['一是自评（4项）', '二是互评（2项）', '三是抽查评议（2项）', '四是社会评议（3项）', '五是群众测评（1项）']));
    // Inside a part: left to `--phase` or the full view.
    expect(labels).not.toContain('评价：群众满意度测评得分');
    expect(edges).not.toContainEqual(['复验', '限期整改（30天）']);
  });

  it('groups the rules beside the phases (ladders, rankings) in one stacked group, the ladder still a chain', () => {
    const group = text.slice(text.indexOf('贯穿全程的规则'));
    expect(group).toContain('问责阶梯');
    expect(group).toContain('评比排名');
    expect(edges).toContainEqual(['第1次：诫勉谈话', '第2次：通报批评']);
  });

  it('draws one phase alone, in full, with phase', () => {
    const one = renderMermaid(campaign, result.subprocesses, { phase: '组织实施' });
    const drawn = parseDiagram(one);
    expect(drawn.labels[0]).toBe('组织实施阶段（6月至11月）');
    expect(drawn.labels).toContain('评价：群众满意度测评得分');
    expect(drawn.edges).toContainEqual(['复验', '限期整改（30天）']);
    expect(drawn.labels).not.toContain('动员部署阶段（4月至5月）');
    expect(drawn.edges).toEqual(expect.arrayContaining([['[*]', '组织实施阶段（6月至11月）'], ['组织实施阶段（6月至11月）', '[*]']]));
  });
});

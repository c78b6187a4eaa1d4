/** A small valid campaign that tests mutate one mistake at a time. */
export const BASE_CAMPAIGN = `# yaml-language-server: $schema=../schema/process.schema.json
kind: campaign
id: 测试活动
title: 测试活动
source: { title: 测试文件 }
year: 2010
subjects: [unit, member]
scale: { units: 20, members: 400 }
roles:
  - { id: 支部, title: 各支部 }
  - { id: 党办, title: 党办 }
flags:
  - { id: 取消评先评优, title: 取消评先评优 }
actions:
  - { id: 通报批评, title: 通报批评, effect: criticise }
phases:
  - id: 动员部署
    title: 动员部署
    window: 4月至5月
    tasks:
      - id: 报送方案
        title: 报送方案
        owner: 支部
        reportTo: 党办
        due: 5月20日前
  - id: 组织实施
    title: 组织实施
    window: 6月至11月
    evaluations:
      - { id: 自评, title: 自评, by: 支部 }
    uses:
      - use: 小评
ladders:
  - id: 投诉
    title: 投诉
    on: { event: complaint-verified, fields: [verified], when: "event.verified" }
    rungs:
      - { level: 1, actions: [通报批评] }
      - { level: 2, actions: [通报批评] }
rankings:
  - id: 年终
    title: 年终
    subject: unit
    at: 11月30日
    weights: { 自评: 1, 互评: 1 }
    eligible: not flags.取消评先评优
    top: { count: 3 }
`;

/** A sub-process the base campaign uses. */
export const BASE_SUBPROCESS = `# yaml-language-server: $schema=../schema/process.schema.json
kind: subprocess
id: 小评
title: 小评
parts:
  - id: 互评环节
    title: 互评
    evaluations:
      - { id: 互评, title: 互评, by: 支部 }
`;

/** The 1-based line and column where `needle` starts in `text` (the nth occurrence). */
export function positionOf(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = text.indexOf(needle, index + 1);
    if (index === -1) throw new Error(`"${needle}" not found`);
  }
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Replaces exactly one occurrence, failing loudly when the fixture has drifted. */
export function replaceOnce(text: string, from: string, to: string): string {
  const index = text.indexOf(from);
  if (index === -1 || text.indexOf(from, index + 1) !== -1) throw new Error(`"${from}" must occur exactly once`);
  return text.slice(0, index) + to + text.slice(index + from.length);
}

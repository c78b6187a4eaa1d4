import { minimalCampaign, minimalScenario, office, unit } from './minimal-campaign.js';

/** The 限期整改 campaign's options: what it says of extensions, its window and its tasks. */
export interface ExtensionsCampaignSpec {
  /** The `extensions:` line; by default 督查室 decides, once a task, for at most 5 working days. */
  readonly extensions?: string;
  /** The one phase 整改's window; by default the whole of 2024. */
  readonly window?: string;
  /** The tasks of 单位, as flow maps; by default 整改方案 due 29 March 2024 (a Friday). */
  readonly tasks?: readonly string[];
}

/**
 * 申请延期 (extension requests) in a 限期整改 campaign of 2024, shared by the simulator's, the report's
 * and the CLI's extension tests: 督查室 (the office) decides the requests of 单位 (各单位) for its tasks.
 */
export function extensionsCampaign({
  extensions = 'extensions: { decidedBy: 督查室, maxTimes: 1, maxDelay: 5个工作日 }',
  window = '1月1日至12月31日',
  tasks = ['{ id: 整改方案, title: 整改方案, owner: 单位, due: 3月29日 }'],
}: ExtensionsCampaignSpec = {}): string {
  return minimalCampaign({
    id: '限期整改',
    roles: [office('督查室'), unit('单位', '各单位')],
    blocks: extensions,
    phases: [{ id: '整改', window, body: ['tasks:', ...tasks.map((t) => `  - ${t}`)].join('\n') }],
  });
}

/**
 * Four units (seed 3) that finish each task 89.5 days after it opens (整改方案: 30 March at noon) and
 * ask, with probability `share`, three days before its due for `days` more days, granted by the
 * office with probability `granted`; `top` adds top-level keys (`maxRefusedShare: 1`).
 */
export function extensionsScenario({ share = 1, days, granted = 1, top }: { share?: number; days: number; granted?: number; top?: string }): string {
  return minimalScenario({
    id: '延期',
    seed: 3,
    ...(top === undefined ? {} : { top }),
    units: 4,
    behaviour: `
      tasks: { delay: { kind: fixed, mean: 89.5 }, neverProbability: 0 }
      extensions: { share: ${share}, days: { kind: fixed, mean: ${days} }, granted: ${granted} }`,
  });
}

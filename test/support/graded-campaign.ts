import { minimalCampaign, minimalScenario, office, unit } from './minimal-campaign.js';

/** What a test adds to the graded campaign. */
export interface GradedOptions {
  /** The bands 优秀 and 合格 set the flag 达标 (lasts the campaign). */
  readonly passFlag?: boolean;
  /** A ranking at 年底 on the grading's weights, its first place the top band (count 1). */
  readonly ranking?: boolean;
}

/**
 * 年度考核 — 等次评定 at 年底 on two evaluations weighted alike (自评 by the units, 考核 by 考核办, both due
 * 6月30日) in one phase over 2024: 优秀 from 90, 合格 from 60, else 不合格. So a unit scored 95 in both
 * is 0.5 × 95 + 0.5 × 95 = 95 → 优秀, one scored 55 → 不合格. Shared by the simulator's tests of grades
 * in a run and of each unit's grades and scores.
 */
export const GRADED_PROCESS = '年度考核';
export function gradedCampaign(options: GradedOptions = {}): string {
  const flag = options.passFlag === true ? ', flags: [达标]' : '';
  return minimalCampaign({
    id: GRADED_PROCESS,
    roles: [unit('单位', '各单位'), office('考核办', '考核办公室')],
    ...(options.passFlag === true ? { blocks: 'flags:\n  - { id: 达标, title: 达标, lasts: campaign }' } : {}),
    phases: [{ id: '实施', window: '2024-01-01..2024-12-31', body: `
      evaluations:
        - { id: 自评, title: 单位自评, by: 单位, subject: unit, due: 6月30日 }
        - { id: 考核, title: 年度考核, by: 考核办, subject: unit, due: 6月30日 }` }],
    after: `${options.ranking === true ? 'rankings:\n  - { id: 年度排名, title: 年度排名, subject: unit, at: 年底, weights: { 自评: 1, 考核: 1 }, top: { count: 1 } }\n' : ''}grades:
  - id: 年度等次
    title: 年度考核等次
    subject: unit
    at: 年底
    weights: { 自评: 1, 考核: 1 }
    bands:
      - { grade: 优秀, min: 90${flag} }
      - { grade: 合格, min: 60${flag} }
      - { grade: 不合格 }`,
  });
}

/**
 * 等次 — four units in two kinds of two: 好 scores 95 in every evaluation, 差 55; every task done 10
 * days after it opens. `moreBehaviour`: more keys of `behaviour.default`, one a line.
 */
export function gradedScenario(moreBehaviour: readonly string[] = []): string {
  return minimalScenario({
    id: '等次',
    seed: 5,
    units: 4,
    organisation: 'kinds: [{ id: 好, share: 0.5 }, { id: 差, share: 0.5 }]',
    behaviour: ['tasks: { delay: { kind: fixed, mean: 10 }, neverProbability: 0 }', 'scores: { default: { kind: fixed, mean: 95 } }', ...moreBehaviour].join('\n'),
    kinds: '差: { scores: { default: { kind: fixed, mean: 55 } } }',
  });
}

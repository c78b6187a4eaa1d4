/*
 * 用语 — how the report and its tables name the engine's effect kinds and lights to a reader, in
 * Chinese and in English.
 */

/** Effect kinds (效果类别) in words. */
export const EFFECT_WORDS: ReadonlyMap<string, { readonly zh: string; readonly en: string }> = new Map([
  ['notify', { zh: '通知', en: 'notice' }],
  ['remind', { zh: '提醒', en: 'reminder' }],
  ['admonish', { zh: '诫勉谈话', en: 'admonition talk' }],
  ['criticise', { zh: '通报批评', en: 'public criticism' }],
  ['transfer', { zh: '交流换岗', en: 'transfer' }],
  ['commend', { zh: '表彰', en: 'commendation' }],
  ['question', { zh: '质询', en: 'questioning' }],
  ['disqualify', { zh: '取消资格', en: 'disqualification' }],
  ['publicise', { zh: '曝光', en: 'publicised' }],
]);

/** The lights, worst first, with the colours they are named for. */
export const LIGHTS = [
  { id: 'red', zh: '红灯', en: 'red', colour: '#d62728', mark: '红' },
  { id: 'yellow', zh: '黄灯', en: 'yellow', colour: '#e5c100', mark: '黄' },
  { id: 'green', zh: '绿灯', en: 'green', colour: '#2ca02c', mark: '绿' },
  { id: 'blue', zh: '蓝灯', en: 'blue', colour: '#1f77b4', mark: '蓝' },
] as const;

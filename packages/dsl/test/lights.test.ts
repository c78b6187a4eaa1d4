import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { BASE_CAMPAIGN, BASE_SUBPROCESS, replaceOnce } from './fixtures.js';

/*
 * 红黄绿灯 (issue 19): the lights key, urging and score deductions are checked where they are
 * written: lengths on the calendar, the urging action and the deduction's evaluation declared, and
 * a condition on task-yellow may read event.yellows and event.task.
 */
const validate = (text: string) => validateProcessText(text, { file: 'campaign.yaml', library: [{ file: 'sub.yaml', text: BASE_SUBPROCESS }] });

function withLights(lights: string, consequence = ''): string {
  const text = replaceOnce(BASE_CAMPAIGN, 'phases:\n', `lights: ${lights}\n${consequence}phases:\n`);
  return text;
}

const SECOND_YELLOW = `consequences:
  - id: 第二次黄牌
    title: 第二次黄牌
    on: { event: task-yellow, when: "event.yellows == 2 and event.task == '报送方案'" }
    actions: [通报批评]
    deduct: { from: 自评, points: 1 }
`;

describe('traffic lights in a process file', () => {
  it('with yellowBefore, blue, urging and a deduction on the second yellow, is valid', () => {
    const result = validate(withLights('{ yellowBefore: 3个工作日, blue: true, urge: { from: yellow, every: 2个工作日, times: 3, action: 通报批评 } }', SECOND_YELLOW));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('with a yellowBefore that is no length, is refused with DSL_BAD_DURATION at the key', () => {
    const result = validate(withLights('{ yellowBefore: 三天左右 }'));
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toContainEqual(['DSL_BAD_DURATION', '/lights/yellowBefore']);
  });

  it('with an urging action or a deduction from an evaluation nobody declared, is refused with DSL_UNKNOWN_REFERENCE in both languages', () => {
    const result = validate(withLights('{ yellowBefore: 3天, urge: { every: 1周, times: 2, action: 催办 } }', SECOND_YELLOW.replace('from: 自评', 'from: 年度考核')));
    const unknown = result.diagnostics.filter((d) => d.code === 'DSL_UNKNOWN_REFERENCE');
    expect(unknown.map((d) => d.pointer).sort()).toEqual(['/consequences/0/deduct/from', '/lights/urge/action']);
    for (const d of unknown) expect(d.message.zh.length * d.message.en.length).toBeGreaterThan(0);
  });

  it('with urging capped at 0 times or an unknown start, is refused by the schema', () => {
    expect(validate(withLights('{ yellowBefore: 3天, urge: { every: 1周, times: 0 } }')).ok).toBe(false);
    expect(validate(withLights('{ yellowBefore: 3天, urge: { from: red, every: 1周, times: 2 } }')).ok).toBe(false);
  });

  it('with a condition on task-yellow reading a field the engine does not fill, is refused', () => {
    const result = validate(withLights('{ yellowBefore: 3天 }', SECOND_YELLOW.replace('event.yellows == 2', 'event.reds == 2')));
    expect(result.ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { BASE_CAMPAIGN, BASE_SUBPROCESS, replaceOnce } from './fixtures.js';

/*
 * 申请延期 (issue 19): the extensions key is checked where it is written: the role that decides
 * declared, the longest delay a length on the calendar, maxTimes an integer from 1 to 20.
 */
const validate = (text: string) => validateProcessText(text, { file: 'campaign.yaml', library: [{ file: 'sub.yaml', text: BASE_SUBPROCESS }] });

const withExtensions = (extensions: string) => replaceOnce(BASE_CAMPAIGN, 'phases:\n', `extensions: ${extensions}\nphases:\n`);

describe('extension requests in a process file', () => {
  it('decided by a declared role, once, 5 working days at most, is valid', () => {
    const result = validate(withExtensions('{ decidedBy: 党办, maxTimes: 1, maxDelay: 5个工作日 }'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('decided by a role nobody declared, with a delay that is no length, is refused at each key', () => {
    const result = validate(withExtensions('{ decidedBy: 督查室, maxDelay: 几天 }'));
    expect(result.ok).toBe(false);
    const found = result.diagnostics.map((d) => [d.code, d.pointer]);
    expect(found).toContainEqual(['DSL_UNKNOWN_REFERENCE', '/extensions/decidedBy']);
    expect(found).toContainEqual(['DSL_BAD_DURATION', '/extensions/maxDelay']);
  });

  it('with maxTimes 0, is refused by the schema at the key', () => {
    const result = validate(withExtensions('{ decidedBy: 党办, maxTimes: 0 }'));
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toContainEqual(['DSL_SCHEMA_INVALID', '/extensions/maxTimes']);
  });
});

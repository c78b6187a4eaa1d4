import { arabicNumerals } from './chinese-numerals.js';
import { parseDateSpec, type DateSpec } from './date-spec.js';
import { parseDurationSpec, type DurationSpec } from './duration-spec.js';

/**
 * A due date: a day of the campaign, or a length of time after an anchor. The anchor is "start"
 * (the campaign start), a phase id (its start) or a task id (its completion).
 */
export type DueSpec =
  | { readonly kind: 'date'; readonly date: DateSpec }
  | { readonly kind: 'after'; readonly anchor: string; readonly duration: DurationSpec };

const START_WORDS = /^(start|开始|活动开始)$/i;

/** Reads a due date; undefined when the text is none of the accepted forms. */
export function parseDueSpec(raw: string): DueSpec | undefined {
  const text = raw.trim();
  const date = parseDateSpec(text, 'end');
  if (date) return { kind: 'date', date };
  const chinese = /^(.+?)(?:之后|以后|后|起)(.+)$/.exec(arabicNumerals(text));
  if (chinese) {
    const duration = parseDurationSpec(chinese[2] as string);
    if (duration) return after(chinese[1] as string, duration);
  }
  const english = /^(.+?)\s+after\s+(.+)$/i.exec(text);
  if (english) {
    const duration = parseDurationSpec(english[1] as string);
    if (duration) return after(english[2] as string, duration);
  }
  return undefined;
}

function after(anchorText: string, duration: DurationSpec): DueSpec {
  const anchor = anchorText.trim().replace(/^(the end of |end of )/i, '');
  return { kind: 'after', anchor: START_WORDS.test(anchor) ? 'start' : anchor, duration };
}

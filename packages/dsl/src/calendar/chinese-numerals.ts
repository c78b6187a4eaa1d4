const DIGITS: ReadonlyMap<string, number> = new Map(Object.entries({ 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }));

/**
 * Replaces Chinese numerals up to 99 (十八, 二十五, 三十一) with Arabic digits, so "十月十八日" and
 * "五个工作日" read like "10月18日" and "5个工作日". Directives use both.
 */
export function arabicNumerals(text: string): string {
  return text.replace(/[零〇一二两三四五六七八九十]+/g, (run) => {
    const value = chineseNumber(run);
    return value === undefined ? run : String(value);
  });
}

function chineseNumber(run: string): number | undefined {
  const ten = run.indexOf('十');
  if (ten === -1) {
    if (run.length !== 1) return undefined;
    return DIGITS.get(run);
  }
  if (run.indexOf('十', ten + 1) !== -1) return undefined;
  const tensPart = run.slice(0, ten);
  const onesPart = run.slice(ten + 1);
  const tens = tensPart === '' ? 1 : tensPart.length === 1 ? DIGITS.get(tensPart) : undefined;
  const ones = onesPart === '' ? 0 : onesPart.length === 1 ? DIGITS.get(onesPart) : undefined;
  if (tens === undefined || ones === undefined) return undefined;
  return tens * 10 + ones;
}

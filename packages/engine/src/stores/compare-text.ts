/** Orders strings by UTF-16 code units, as SQL's binary collation orders ASCII (never by locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

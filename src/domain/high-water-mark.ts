const INTEGER = /^-?\d+$/;

/**
 * The later of two change marks. Integers compare as numbers (of any size); anything else as
 * text, which orders timestamps written in one format in UTC (ISO 8601 with a Z) correctly.
 * Pure, so workflows use it to carry a run's highest mark across pages.
 */
export function laterMark(a: string | null, b: string | null | undefined): string | null {
  if (b === null || b === undefined) return a;
  if (a === null) return b;
  if (INTEGER.test(a) && INTEGER.test(b)) return BigInt(b) > BigInt(a) ? b : a;
  return b > a ? b : a;
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions of
 * two neighbours each cost one, so "reqeusts" is one edit from "requests". Stops early and
 * returns `limit + 1` once the distance must exceed `limit`.
 *
 * @example
 * ```ts
 * nameDistance('reqeusts', 'requests', 2); // 1
 * ```
 */
export function nameDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (prevPrev[j - 2] as number) + 1);
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * A name with separators removed and look-alike characters unified, so that "python_dateutil",
 * "pythondateutil" and "pyth0n-dateuti1" collide.
 *
 * @example
 * ```ts
 * skeleton('Pyth0n-Dateuti1'); // 'pythondateutil'
 * ```
 */
export function skeleton(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '').replace(/0/g, 'o').replace(/[1|]/g, 'l').replace(/5/g, 's').replace(/rn/g, 'm');
}

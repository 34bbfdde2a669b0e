// "Did you mean": the nearest of a few known words (commands, flags, URL schemes) to a typo.
// A leaf module, used by the CLI and by the store URL parser alike.

/** Levenshtein distance; inputs are names of a few dozen bytes. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate nearest to `word`, when it is near enough to be a typo (or a prefix of it). */
export function nearest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === null) return null;
  const prefixOf = candidates.filter((c) => word.length >= 3 && c.startsWith(word));
  if (prefixOf.length === 1) return prefixOf[0]!;
  return bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}

// The runner's decision, as a pure function: which queued jobs start now. Rules (SERVICE.md):
// at most `concurrency` jobs at once; never two jobs of one volume; a job that needs a
// repository exclusively (prune) waits until that repository's running jobs end, and jobs
// queued after it on that repository wait behind it, so it is never starved.

export interface Needs {
  volume: string | null;
  repositories: readonly string[];
  exclusive: boolean;
}

export interface Planned<T> {
  item: T;
  needs: Needs;
}

export function planStarts<T>(queued: ReadonlyArray<Planned<T>>, running: ReadonlyArray<Needs>, concurrency: number): T[] {
  const volumes = new Set(running.flatMap((r) => (r.volume ? [r.volume] : [])));
  const inUse = new Map<string, number>();
  const exclusive = new Set<string>();
  for (const r of running) {
    for (const repo of r.repositories) {
      inUse.set(repo, (inUse.get(repo) ?? 0) + 1);
      if (r.exclusive) exclusive.add(repo);
    }
  }
  const waitingBehind = new Set<string>(); // repositories an exclusive job waits for
  const starts: T[] = [];
  let slots = concurrency - running.length;
  for (const { item, needs } of queued) {
    if (slots <= 0) break;
    if (needs.volume && volumes.has(needs.volume)) continue;
    const blocked = needs.repositories.some((r) => exclusive.has(r) || waitingBehind.has(r));
    const busy = needs.exclusive && needs.repositories.some((r) => (inUse.get(r) ?? 0) > 0);
    if (blocked || busy) {
      if (needs.exclusive) for (const r of needs.repositories) waitingBehind.add(r);
      continue;
    }
    starts.push(item);
    slots--;
    if (needs.volume) volumes.add(needs.volume);
    for (const r of needs.repositories) {
      inUse.set(r, (inUse.get(r) ?? 0) + 1);
      if (needs.exclusive) exclusive.add(r);
    }
  }
  return starts;
}

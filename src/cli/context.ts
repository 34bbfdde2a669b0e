// Opening the repository a command names, with the counters of its store requests.
import { Repository } from '../repo/repository.js';
import type { StoreCounters } from '../store/wrap/metrics.js';
import { password, repoUrl, type Values } from './args.js';
import { openStore } from './open-store.js';

export interface Opened {
  repo: Repository;
  counters: StoreCounters;
}

export async function openRepository(v: Values, command: string): Promise<Opened> {
  const { store, counters } = await openStore(repoUrl(v, command), v);
  return { repo: await Repository.open(store, () => password(v)), counters };
}

/** Store figures added to every `--json` document of a command that talks to a store. */
export function storeFigures(c: StoreCounters): { requests: number; retries: number } {
  const r = c.requests;
  return { requests: r.put + r.get + r.head + r.list + r.delete, retries: c.retries };
}

// Opening the repository a command names, with the counters of its store requests.
import { Repository } from '../repo/repository.js';
import type { StoreCounters } from '../store/wrap/metrics.js';
import { flag, password, repoUrl, type Values } from './args.js';
import { logger } from './log.js';
import { openStore } from './open-store.js';

export interface Opened {
  repo: Repository;
  counters: StoreCounters;
}

export async function openRepository(v: Values, command: string): Promise<Opened> {
  const { store, counters } = await openStore(repoUrl(v, command), v);
  const log = logger(flag(v, 'verbose'));
  const t0 = Date.now();
  log.info({ phase: 'open', store: store.description }, `opening the repository at ${store.description}`);
  const repo = await Repository.open(store, () => password(v));
  log.info({ phase: 'opened', encrypted: repo.encrypted, durationMs: Date.now() - t0 }, 'repository opened');
  return { repo, counters };
}

/** Store figures added to every `--json` document of a command that talks to a store. */
export function storeFigures(c: StoreCounters): { requests: number; retries: number } {
  const r = c.requests;
  return { requests: r.put + r.get + r.head + r.list + r.delete, retries: c.retries };
}

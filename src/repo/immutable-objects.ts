// Which objects a retention lock still holds: prune and forget ask before deleting, so that a
// locked object is skipped and reported instead of being refused by the store half-way.
// One HEAD per candidate, DELETE_WORKERS at a time (pulling one shared index); nothing is
// asked when the repository writes no locks.
import { DELETE_WORKERS } from '../defaults.js';
import { isNotFound } from '../store/object-store.js';
import type { Repository } from './repository.js';

export interface ImmutableObject {
  key: string;
  /** ISO time the lock ends. */
  until: string;
}

/** The keys among `keys` whose retention lock ends after `nowMs`, with its end. */
export async function immutableAmong(repo: Repository, keys: readonly string[], nowMs: number): Promise<Map<string, number>> {
  const locked = new Map<string, number>();
  if (!repo.config.immutability || !repo.store.capabilities.immutability || keys.length === 0) return locked;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      try {
        const info = await repo.store.head(key);
        if (info.immutableUntil !== undefined && info.immutableUntil > nowMs) locked.set(key, info.immutableUntil);
      } catch (err) {
        if (!isNotFound(err)) throw err; // gone already: nothing to hold
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_WORKERS, keys.length) }, worker));
  return locked;
}

export function immutableList(locked: ReadonlyMap<string, number>): ImmutableObject[] {
  return [...locked].sort(([, a], [, b]) => a - b).map(([key, until]) => ({ key, until: new Date(until).toISOString() }));
}

// Which objects are still immutable: prune and forget ask before deleting, so that an immutable
// object is skipped and reported instead of being refused by the store half-way.
// One HEAD per candidate, DELETE_WORKERS at a time (pulling one shared index); nothing is
// asked when the repository writes nothing immutable.
import { DELETE_WORKERS } from '../defaults.js';
import { isNotFound } from '../store/object-store.js';
import type { Repository } from './repository.js';

export interface ImmutableObject {
  key: string;
  /** ISO time its immutability ends. */
  until: string;
}

/** The keys among `keys` whose immutability ends after `nowMs`, with its end. */
export async function immutableAmong(repo: Repository, keys: readonly string[], nowMs: number): Promise<Map<string, number>> {
  const immutable = new Map<string, number>();
  if (!repo.config.immutability || !repo.store.capabilities.immutability || keys.length === 0) return immutable;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      try {
        const info = await repo.store.head(key);
        if (info.immutableUntil !== undefined && info.immutableUntil > nowMs) immutable.set(key, info.immutableUntil);
      } catch (err) {
        if (!isNotFound(err)) throw err; // gone already: nothing to hold
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_WORKERS, keys.length) }, worker));
  return immutable;
}

export function immutableList(immutable: ReadonlyMap<string, number>): ImmutableObject[] {
  return [...immutable].sort(([, a], [, b]) => a - b).map(([key, until]) => ({ key, until: new Date(until).toISOString() }));
}

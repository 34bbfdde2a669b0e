// The memory store's test variants, built in one place: one that fails planned requests (by
// request number, so a failure replays exactly) and one that enforces immutability.
import { type Fault, FaultyStore } from '../wrap/faults.js';
import { MemoryStore, type MemoryStoreOptions } from './memory-store.js';

/** A memory store behind a fault plan; call `faulty.assertExercised()` at the end of the test. */
export function faultyMemoryStore(plan: Fault[], opts: MemoryStoreOptions = {}): { memory: MemoryStore; faulty: FaultyStore } {
  const memory = new MemoryStore(opts);
  return { memory, faulty: new FaultyStore(memory, plan) };
}

/** A memory store that enforces immutability (S3 Object Lock, Azure immutability) on `now`. */
export function immutableMemoryStore(now: () => number, opts: Omit<MemoryStoreOptions, 'immutability' | 'now'> = {}): MemoryStore {
  return new MemoryStore({ ...opts, immutability: true, now });
}

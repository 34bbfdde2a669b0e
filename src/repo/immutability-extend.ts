// Renewing immutability (`lock --extend`): every object a remaining snapshot needs (the config,
// every manifest, and every pack reachable from a snapshot's map, shared ones included) is made
// immutable until max(now + the repository's immutability period, its fixed date). Objects are
// written immutable for a period from their own day, so an incremental chain would otherwise keep
// using packs whose immutability ran out long ago. One HEAD per object, and a PutObjectRetention
// (S3) or immutability policy update (Azure) where it ends earlier than the target (it only
// grows); DELETE_WORKERS objects at a time, pulling one shared index.
import { DELETE_WORKERS } from '../defaults.js';
import { UsageError } from '../errors.js';
import { CONFIG_KEY, DATA_PREFIX, SNAPSHOT_PREFIX, TREE_PREFIX, parsePackKey, parseSnapshotKey } from '../format/layout.js';
import { mark } from './mark.js';
import type { Repository } from './repository.js';

export interface ExtendOptions {
  nowMs: number;
  dryRun?: boolean;
}

export interface ExtendReport {
  /** Objects a remaining snapshot needs (config, manifests, packs). */
  objects: number;
  /** Objects whose immutability moved to `until` (on a dry run: that would be). */
  extended: number;
  /** Already immutable until `until` or later (JSON name kept from before). */
  alreadyLocked: number;
  until: string;
  dryRun: boolean;
}

export async function renewImmutability(repo: Repository, opts: ExtendOptions): Promise<ExtendReport> {
  const policy = repo.config.immutability;
  if (!policy || !repo.store.capabilities.immutability || !repo.store.extendImmutability) {
    throw new UsageError(`lock --extend: the repository at ${repo.store.description} was not created immutable (init --lock-days or --lock-until)`);
  }
  const untilMs = Math.max(opts.nowMs + policy.seconds * 1000, policy.untilMs);
  // Packs first, then manifests: a pack a backup commits meanwhile is named by a manifest listed
  // after it, and a backup writes its own objects immutable for the full period anyway.
  const packKeys = new Map<string, string>();
  for (const prefix of [DATA_PREFIX, TREE_PREFIX]) {
    for await (const o of repo.store.list(prefix)) {
      const p = parsePackKey(o.key);
      if (p) packKeys.set(p.pack.toString('hex'), o.key);
    }
  }
  const keys: string[] = [CONFIG_KEY];
  for await (const o of repo.store.list(SNAPSHOT_PREFIX)) if (parseSnapshotKey(o.key)) keys.push(o.key);
  const live = await mark(repo, new Set());
  for (const hex of live.packs) {
    const key = packKeys.get(hex);
    if (key) keys.push(key); // a missing pack is check's business, not ours
  }

  const store = repo.store;
  const extend = store.extendImmutability!.bind(store);
  let extended = 0;
  let alreadyLocked = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const info = await store.head(key);
      if (info.immutableUntil !== undefined && info.immutableUntil >= untilMs) alreadyLocked++;
      else {
        if (!opts.dryRun) await extend(key, { mode: policy.mode, untilMs });
        extended++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_WORKERS, keys.length) }, worker));
  return { objects: keys.length, extended, alreadyLocked, until: new Date(untilMs).toISOString(), dryRun: opts.dryRun ?? false };
}

// Prune: mark and sweep. Mark every pack reachable from every snapshot's map (a manifest lists
// only the packs its own backup wrote; unchanged subtrees and chunks live in older packs, so
// the trees are walked), then delete the packs nothing reaches, unless they may belong to a
// backup still running: an unreferenced pack is deleted only once it has been seen so for the
// grace period, or when forget released it (it was written by a snapshot forget removed).
// Memory: sets of pack ids, and the ids of the map nodes visited (shared subtrees are walked
// once); never blobs or chunk lists.
import { DELETE_BATCH, DELETE_WORKERS } from '../defaults.js';
import { NodeReader } from '../engine/node-store.js';
import { visitTree } from '../engine/tree-walk.js';
import type { ProgressFn } from '../engine/progress.js';
import { IntegrityError, errorMessage } from '../errors.js';
import { DATA_PREFIX, HOLD_PREFIX, SNAPSHOT_PREFIX, TREE_PREFIX, parseHoldKey, parsePackKey, parseSnapshotKey } from '../format/layout.js';
import type { PrunePack } from '../format/retention-codec.js';
import { deleteAll } from '../store/object-store.js';
import type { BlobRef, Manifest } from '../format/types.js';
import { describe, readManifest } from './catalog.js';
import { type LockedObject, lockedAmong, lockedList } from './locks-held.js';
import { readRecords, writeRecord } from './prune-records.js';
import type { Repository } from './repository.js';

export interface PruneOptions {
  /** Unreferenced packs are kept until seen so for this long (a backup may be writing them). */
  graceMs: number;
  dryRun?: boolean;
  nowMs: number;
  onProgress?: ProgressFn;
  /**
   * Snapshots to count as already gone, and their packs as released: what a dry run of
   * `forget --prune` needs, since its forget deleted nothing.
   */
  assumeForgotten?: ReadonlyArray<{ key: string; manifest: Manifest }>;
  /** Try to delete packs under a retention lock too (the store refuses: RetentionLockedError). */
  forceLocked?: boolean;
}

export interface PruneReport {
  objectsDeleted: number;
  bytesFreed: number;
  packsDeleted: number;
  packs: number;
  packsReferenced: number;
  /** Unreferenced packs kept for now: seen so for less than the grace period. */
  packsDeferred: number;
  bytesDeferred: number;
  holdsDeleted: number;
  snapshots: number;
  dryRun: boolean;
  /** Unreferenced packs kept because a retention lock still holds them (deleted by a later prune). */
  locked: LockedObject[];
  bytesLocked: number;
}

export async function prune(repo: Repository, opts: PruneOptions): Promise<PruneReport> {
  const dryRun = opts.dryRun ?? false;
  // Order matters for safety next to running backups and hold commands: what prune remembers,
  // then holds, then packs, and the manifests last, so every pack listed either belongs to a
  // snapshot committed before the manifests are listed (and is marked) or is still unnamed.
  const records = await readRecords(repo);
  const holdKeys: Array<{ key: string; snapshot: string }> = [];
  for await (const o of repo.store.list(HOLD_PREFIX)) {
    const h = parseHoldKey(o.key);
    if (h) holdKeys.push({ key: o.key, snapshot: `${h.volumeKey}/${h.snapshot}` });
  }
  const present = new Map<string, { key: string; size: number }>(); // pack id hex -> object
  for (const prefix of [DATA_PREFIX, TREE_PREFIX]) {
    for await (const o of repo.store.list(prefix)) {
      const p = parsePackKey(o.key);
      if (p) present.set(p.pack.toString('hex'), { key: o.key, size: o.size });
    }
  }

  const skip = new Set((opts.assumeForgotten ?? []).map((s) => s.key));
  for (const s of opts.assumeForgotten ?? []) {
    for (const p of s.manifest.packs) records.packs.set(p.toString('hex'), { sinceMs: opts.nowMs, released: true });
  }
  const marked = await mark(repo, skip);

  const deletions: Array<{ key: string; size: number }> = [];
  const remember: PrunePack[] = [];
  let packsDeferred = 0;
  let bytesDeferred = 0;
  for (const [hex, obj] of present) {
    const mem = records.packs.get(hex);
    if (marked.packs.has(hex)) {
      if (mem?.released) remember.push({ pack: Buffer.from(hex, 'hex'), sinceMs: mem.sinceMs, released: true });
      continue;
    }
    const sinceMs = mem?.sinceMs ?? opts.nowMs;
    if (mem?.released || opts.nowMs - sinceMs >= opts.graceMs) deletions.push(obj);
    else {
      remember.push({ pack: Buffer.from(hex, 'hex'), sinceMs, released: false });
      packsDeferred++;
      bytesDeferred += obj.size;
    }
  }
  // What a retention lock still holds is kept, remembered with since when it is unreferenced
  // (and whether forget released it), so that the first prune after the lock ends deletes it.
  const held = opts.forceLocked ? new Map<string, number>() : await lockedAmong(repo, deletions.map((d) => d.key), opts.nowMs);
  let bytesLocked = 0;
  if (held.size) {
    const kept = deletions.filter((d) => held.has(d.key));
    deletions.splice(0, deletions.length, ...deletions.filter((d) => !held.has(d.key)));
    for (const d of kept) {
      bytesLocked += d.size;
      const hex = parsePackKey(d.key)!.pack.toString('hex');
      const mem = records.packs.get(hex);
      remember.push({ pack: Buffer.from(hex, 'hex'), sinceMs: mem?.sinceMs ?? opts.nowMs, released: mem?.released ?? false });
    }
  }
  const packsDeleted = deletions.length;
  const bytesFreed = deletions.reduce((n, d) => n + d.size, 0);
  // A hold whose snapshot is gone protects nothing any more.
  const danglingHolds = holdKeys.filter((h) => !marked.snapshots.has(h.snapshot));

  if (!dryRun) {
    // The new record first: were prune to stop half-way, the next run still knows since when.
    await writeRecord(repo, remember, opts.nowMs);
    await deleteKeys(repo, deletions.map((d) => d.key), (done) =>
      opts.onProgress?.({ phase: 'prune', bytesDone: Math.round((bytesFreed * done) / packsDeleted), bytesTotal: bytesFreed, bytesUploaded: 0, objects: done }),
    );
    await deleteKeys(repo, danglingHolds.map((h) => h.key));
    await deleteKeys(repo, records.keys);
  }
  return {
    objectsDeleted: packsDeleted + danglingHolds.length,
    bytesFreed,
    packsDeleted,
    packs: present.size,
    packsReferenced: marked.packs.size,
    packsDeferred,
    bytesDeferred,
    holdsDeleted: danglingHolds.length,
    snapshots: marked.snapshots.size,
    dryRun,
    locked: lockedList(held),
    bytesLocked,
  };
}

/**
 * Every pack (id hex) reachable from every snapshot, and every snapshot (volume key/id). Any
 * manifest or node that cannot be read stops prune: an incomplete mark would delete live data.
 */
export async function mark(repo: Repository, skip: ReadonlySet<string>): Promise<{ packs: Set<string>; snapshots: Set<string> }> {
  const packs = new Set<string>();
  const snapshots = new Set<string>();
  const visited = new Set<string>();
  const reader = new NodeReader(repo);
  const addPack = (b: BlobRef) => packs.add(b.pack.toString('hex'));
  for await (const o of repo.store.list(SNAPSHOT_PREFIX)) {
    const parsed = parseSnapshotKey(o.key);
    if (!parsed || skip.has(o.key)) continue;
    snapshots.add(`${parsed.volumeKey}/${parsed.id}`);
    let m: Manifest;
    try {
      m = await readManifest(repo, o.key);
    } catch (err) {
      throw new IntegrityError(`prune stopped, nothing deleted: ${errorMessage(err)} (run check)`);
    }
    try {
      for (const p of m.packs) packs.add(p.toString('hex'));
      if (m.root) await visitTree(reader, m.root, m.rootLevel, visited, (r) => addPack(r.blob), addPack);
    } catch (err) {
      throw new IntegrityError(`prune stopped, nothing deleted: ${describe(m)}: ${errorMessage(err)} (run check)`);
    }
  }
  return { packs, snapshots };
}

/** Deletes keys a batch at a time (the store's batch delete, or a few per-key deletes at once). */
export async function deleteKeys(repo: Repository, keys: readonly string[], onDone?: (done: number) => void): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
    await deleteAll(repo.store, batch, DELETE_WORKERS);
    onDone?.(i + batch.length);
  }
}

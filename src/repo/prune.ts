// Prune: mark and sweep. Mark every pack reachable from every snapshot's map (a manifest lists
// only the packs its own backup wrote; unchanged subtrees and chunks live in older packs, so
// the trees are walked), then delete the packs nothing reaches, unless they may belong to a
// backup still running: an unreferenced pack is deleted only once it has been seen so for the
// grace period, or when forget released it (it was written by a snapshot forget removed), and
// no running backup (its lock says since when) may be about to name it. Mostly-dead packs are
// rewritten (prune-repack.ts). Memory: sets of pack ids, the ids of the map nodes visited, and
// with repacking 8 bytes per live chunk reference (live-blobs.ts); never blob ids.
import { DELETE_BATCH, DELETE_WORKERS, REPACK_BELOW } from '../defaults.js';
import type { ProgressFn } from '../engine/progress.js';
import { DATA_PREFIX, HOLD_PREFIX, TREE_PREFIX, parseHoldKey, parsePackKey } from '../format/layout.js';
import type { PrunePack } from '../format/retention-codec.js';
import { deleteAll } from '../store/object-store.js';
import type { Manifest } from '../format/types.js';
import { type LockedObject, lockedAmong, lockedList } from './locks-held.js';
import { scanCheckpoints, sweepTemporary } from './leftovers.js';
import { runningSince, unlock } from './lock-objects.js';
import { mark } from './mark.js';
import { LiveBlobs } from './live-blobs.js';
import { readRecords, writeRecord } from './prune-records.js';
import { repackStep } from './prune-repack.js';
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
  /** Rewrite packs whose live share is below this (0..1; 0: never). Default REPACK_BELOW. */
  repackBelow?: number;
  /** Repack packs in an archive tier too (each must have been rehydrated first); default: never. */
  repackCold?: boolean;
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
  /** Checkpoints of killed backups too old to resume (or damaged). */
  checkpointsDeleted: number;
  /** Temporary objects of interrupted writes. */
  temporaryDeleted: number;
  /** Stale locks (of killed runs) and unreadable ones. */
  locksDeleted: number;
  snapshots: number;
  dryRun: boolean;
  /** Unreferenced packs kept because a retention lock still holds them (deleted by a later prune). */
  locked: LockedObject[];
  bytesLocked: number;
  /** Mostly-dead packs rewritten: their live blobs copied to new packs, the old packs now garbage. */
  packsRepacked: number;
  /** Live bytes copied out of them, and the new packs written. */
  bytesRepacked: number;
  packsWritten: number;
  bytesWritten: number;
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
  const present = new Map<string, { key: string; size: number; tier?: string }>(); // pack id hex -> object
  for (const prefix of [DATA_PREFIX, TREE_PREFIX]) {
    for await (const o of repo.store.list(prefix)) {
      const p = parsePackKey(o.key);
      if (p) present.set(p.pack.toString('hex'), { key: o.key, size: o.size, ...(o.tier !== undefined ? { tier: o.tier } : {}) });
    }
  }

  // Listed packs belong to locks written before this listing: read the locks after it.
  const running = await runningSince(repo, Date.now());
  const skip = new Set((opts.assumeForgotten ?? []).map((s) => s.key));
  for (const s of opts.assumeForgotten ?? []) {
    for (const p of s.manifest.packs) records.packs.set(p.toString('hex'), { sinceMs: opts.nowMs, released: true });
  }
  const below = opts.repackBelow ?? REPACK_BELOW;
  const live = below > 0 ? new LiveBlobs() : undefined;
  // Checkpoints of killed backups are roots like manifests (a resume will name what they reach),
  // read after the packs were listed for the same reason; old or damaged ones go.
  const checkpoints = await scanCheckpoints(repo, opts.nowMs);
  const marked = await mark(repo, skip, live, checkpoints.live);
  const forwardHits = new Set((await repo.forwarding()).hits);

  const deletions: Array<{ key: string; size: number }> = [];
  const remember: PrunePack[] = [];
  let packsDeferred = 0;
  let bytesDeferred = 0;
  for (const [hex, obj] of present) {
    const mem = records.packs.get(hex);
    // A released pack still referenced is forgotten: it becomes unreferenced later, when another
    // snapshot goes, and the release's time would make backups started since look unable to name
    // it. (Released again if that snapshot wrote it; else it waits out the grace period.)
    if (marked.packs.has(hex)) continue;
    const sinceMs = mem?.sinceMs ?? opts.nowMs;
    const maybeRunning = running !== undefined && sinceMs >= running;
    if (!maybeRunning && (mem?.released || opts.nowMs - sinceMs >= opts.graceMs)) deletions.push(obj);
    else {
      remember.push({ pack: Buffer.from(hex, 'hex'), sinceMs, released: mem?.released ?? false });
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
  // Mostly-dead packs: their live blobs move to new packs and the packs join the garbage.
  const rp = live
    ? await repackStep(repo, { present, referenced: marked.packs, forwardHits, live, below, dryRun, forceLocked: opts.forceLocked ?? false, repackCold: opts.repackCold ?? false, nowMs: opts.nowMs, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) })
    : null;
  for (const c of rp?.repacked ?? []) {
    // A repacked pack waits out the grace period, and running backups: readers that listed the
    // forwarding records before this run may still read it.
    if (opts.graceMs <= 0 && running === undefined) deletions.push({ key: c.key, size: c.size });
    else {
      remember.push({ pack: c.pack, sinceMs: opts.nowMs, released: false });
      packsDeferred++;
      bytesDeferred += c.size;
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
    await deleteKeys(repo, checkpoints.stale.map((c) => c.key));
    await deleteKeys(repo, records.keys);
  }
  // Temporary files of interrupted writes (the local store's), once older than the grace, and
  // locks of killed runs (their process gone from this host, or not refreshed for long).
  const temporary = await sweepTemporary(repo, { nowMs: opts.nowMs, olderThanMs: opts.graceMs, dryRun });
  const locksDeleted = dryRun ? 0 : (await unlock(repo, { nowMs: opts.nowMs })).removed.length;
  return {
    objectsDeleted: packsDeleted + danglingHolds.length + checkpoints.stale.length + temporary.length + locksDeleted,
    bytesFreed,
    packsDeleted,
    packs: present.size,
    packsReferenced: marked.packs.size,
    packsDeferred,
    bytesDeferred,
    holdsDeleted: danglingHolds.length,
    checkpointsDeleted: checkpoints.stale.length,
    temporaryDeleted: temporary.length,
    locksDeleted,
    snapshots: marked.snapshots.size,
    dryRun,
    locked: lockedList(held),
    bytesLocked,
    packsRepacked: rp?.repacked.length ?? 0,
    bytesRepacked: rp?.bytesLive ?? 0,
    packsWritten: rp?.packsWritten ?? 0,
    bytesWritten: rp?.bytesWritten ?? 0,
  };
}

/** Deletes keys a batch at a time (the store's batch delete, or a few per-key deletes at once). */
export async function deleteKeys(repo: Repository, keys: readonly string[], onDone?: (done: number) => void): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
    await deleteAll(repo.store, batch, DELETE_WORKERS);
    onDone?.(i + batch.length);
  }
}

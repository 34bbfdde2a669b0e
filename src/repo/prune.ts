// Prune: mark and sweep. Mark every pack reachable from every snapshot's map (a manifest lists
// only the packs its own backup wrote; unchanged subtrees and chunks live in older packs, so
// the trees are walked), then delete the packs nothing reaches, unless they may belong to a
// backup still running: an unreferenced pack is deleted only once it has been seen so for the
// grace period, or when forget released it (it was written by a snapshot forget removed), and
// no running backup (its lease says since when) may be about to name it. Mostly-dead packs are
// rewritten (prune-repack.ts). Memory: sets of pack ids, the ids of the map nodes visited, and
// with repacking 8 bytes per live chunk reference (live-blobs.ts); never blob ids.
import { type Clock, systemClock } from '../clock.js';
import { DELETE_BATCH, DELETE_WORKERS, REPACK_BELOW } from '../defaults.js';
import type { ProgressFn } from '../engine/index.js';
import { DATA_PREFIX, HOLD_PREFIX, TREE_PREFIX, parseHoldKey, parsePackKey } from '../format/layout.js';
import { deleteAll } from '../store/object-store.js';
import type { Manifest } from '../format/types.js';
import { type ImmutableObject, immutableAmong, immutableList } from './immutable-objects.js';
import { scanCheckpoints, sweepTemporary } from './leftovers.js';
import { runningSince, clearLeases } from './lease-objects.js';
import { mark } from './mark.js';
import { LiveBlobs } from './live-blobs.js';
import { readRecords, writeRecord } from './prune-records.js';
import { immutabilityQuestions, planPrune } from './prune-plan.js';
import { repackChoices, repackStep } from './prune-repack.js';
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
  /** Try to delete immutable packs too (the store refuses: ImmutableObjectError); `--force-locked`. */
  forceImmutable?: boolean;
  /** Rewrite packs whose live share is below this (0..1; 0: never). Default REPACK_BELOW. */
  repackBelow?: number;
  /** Repack packs in an archive tier too (each must have been rehydrated first); default: never. */
  repackCold?: boolean;
  /**
   * The clock that judges running backups' leases (their ages are real time, whatever `nowMs`
   * says of the packs); default the system clock.
   */
  clock?: Clock;
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
  /** Stale leases (of killed runs) and unreadable ones (JSON name kept from before). */
  locksDeleted: number;
  snapshots: number;
  dryRun: boolean;
  /** Unreferenced packs kept because they are still immutable (deleted by a later prune); JSON name kept. */
  locked: ImmutableObject[];
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
  const present = new Map<string, { key: string; size: number }>(); // pack id hex -> object
  // Packs in an archive tier (the listing says which): a repack would read them (a thaw of
  // hours) and move their live part back online, so they are left alone unless repackCold.
  const archive = new Set((repo.store.capabilities.archiveTiers ?? []).map((t) => t.toLowerCase()));
  const cold = new Set<string>();
  for (const prefix of [DATA_PREFIX, TREE_PREFIX]) {
    for await (const o of repo.store.list(prefix)) {
      const p = parsePackKey(o.key);
      if (p) present.set(p.pack.toString('hex'), { key: o.key, size: o.size });
      if (p && o.tier !== undefined && archive.has(o.tier.toLowerCase())) cold.add(p.pack.toString('hex'));
    }
  }

  // Listed packs belong to leases written before this listing: read the leases after it.
  const running = await runningSince(repo, (opts.clock ?? systemClock).now());
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

  // The decisions are a pure plan (prune-plan.ts); the only question it needs the store for is
  // which of the packs it would delete or rewrite are still immutable.
  const facts = {
    nowMs: opts.nowMs,
    graceMs: opts.graceMs,
    present,
    records: records.packs,
    referenced: marked.packs,
    running,
    repackCandidates: live ? repackChoices(present, marked.packs, live, below).filter((c) => opts.repackCold || !cold.has(c.pack.toString('hex'))) : [],
    holds: holdKeys,
    snapshots: marked.snapshots,
  };
  const immutable = opts.forceImmutable ? new Map<string, number>() : await immutableAmong(repo, immutabilityQuestions(facts), opts.nowMs);
  const plan = planPrune({ ...facts, immutable });
  const rp = live && !dryRun
    ? await repackStep(repo, { present, forwardHits, candidates: plan.repack, live, nowMs: opts.nowMs, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) })
    : null;
  const packsDeleted = plan.delete.length;
  const bytesFreed = plan.bytesFreed;

  if (!dryRun) {
    // The new record first: were prune to stop half-way, the next run still knows since when.
    await writeRecord(repo, plan.remember, opts.nowMs);
    await deleteKeys(repo, plan.delete.map((d) => d.key), (done) =>
      opts.onProgress?.({ phase: 'prune', bytesDone: Math.round((bytesFreed * done) / packsDeleted), bytesTotal: bytesFreed, bytesUploaded: 0, objects: done }),
    );
    await deleteKeys(repo, plan.holdsToDelete);
    await deleteKeys(repo, checkpoints.stale.map((c) => c.key));
    await deleteKeys(repo, records.keys);
  }
  // Temporary files of interrupted writes (the local store's), once older than the grace, and
  // leases of killed runs (their process gone from this host, or not refreshed for long).
  const temporary = await sweepTemporary(repo, { nowMs: opts.nowMs, olderThanMs: opts.graceMs, dryRun });
  const locksDeleted = dryRun ? 0 : (await clearLeases(repo, { nowMs: opts.nowMs })).removed.length;
  return {
    objectsDeleted: packsDeleted + plan.holdsToDelete.length + checkpoints.stale.length + temporary.length + locksDeleted,
    bytesFreed,
    packsDeleted,
    packs: present.size,
    packsReferenced: marked.packs.size,
    packsDeferred: plan.packsDeferred,
    bytesDeferred: plan.bytesDeferred,
    holdsDeleted: plan.holdsToDelete.length,
    checkpointsDeleted: checkpoints.stale.length,
    temporaryDeleted: temporary.length,
    locksDeleted,
    snapshots: marked.snapshots.size,
    dryRun,
    locked: immutableList(new Map(plan.keep.filter((k) => k.reason === 'immutable').map((k) => [k.key, immutable.get(k.key)!]))),
    bytesLocked: plan.bytesLocked,
    packsRepacked: plan.repack.length,
    bytesRepacked: plan.repack.reduce((n, c) => n + c.liveBytes, 0),
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

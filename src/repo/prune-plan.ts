// prune's decisions as a pure function (restic's PlanPrune): from what was listed and marked,
// which packs go, which stay and why, which mostly-dead packs are rewritten, which holds go.
// No I/O and no clock: prune.ts gathers the facts, asks this plan, and carries it out, so every
// safety rule can be tested on its own, on facts made up by the test.
import type { PrunePack } from '../format/prune-record-codec.js';
import type { PackMemory } from './prune-records.js';
import type { RepackCandidate } from './repack.js';

export interface PruneFacts {
  nowMs: number;
  /** Unreferenced packs are kept until seen so for this long (a backup may be writing them). */
  graceMs: number;
  /** Every pack listed, by id hex. */
  present: ReadonlyMap<string, { key: string; size: number }>;
  /** What earlier prune runs (and forget's releases) remember of packs, by id hex. */
  records: ReadonlyMap<string, PackMemory>;
  /** Packs some snapshot or live checkpoint reaches, by id hex. */
  referenced: ReadonlySet<string>;
  /** Since when (ms) the oldest backup that may still be running has run; undefined: none. */
  running: number | undefined;
  /** Keys immutable until after now, with the end; empty when forcing. */
  immutable: ReadonlyMap<string, number>;
  /** Referenced packs below the repack threshold (repackCandidates), before the immutability rule. */
  repackCandidates: readonly RepackCandidate[];
  /** Hold objects, with the snapshot (`volumeKey/snapshotHex`) each protects. */
  holds: ReadonlyArray<{ key: string; snapshot: string }>;
  /** Snapshots that exist (`volumeKey/snapshotHex`). */
  snapshots: ReadonlySet<string>;
}

/** Why an unreferenced pack goes now. */
export type DeleteReason = 'released' | 'grace-over' | 'repacked';
/** Why an unreferenced pack stays for now. */
export type KeepReason = 'grace' | 'running-backup' | 'immutable' | 'repacked-wait';

export interface PlannedPack {
  key: string;
  size: number;
  /** Pack id hex. */
  pack: string;
}

export interface PrunePlan {
  delete: Array<PlannedPack & { reason: DeleteReason }>;
  keep: Array<PlannedPack & { reason: KeepReason }>;
  /** Mostly-dead packs to rewrite (their live blobs copied out): then garbage like the rest. */
  repack: RepackCandidate[];
  /** What the new prune record remembers: every unreferenced pack kept, with since when. */
  remember: PrunePack[];
  /** Hold objects whose snapshot is gone: they protect nothing any more. */
  holdsToDelete: string[];
  bytesFreed: number;
  /** Kept for the grace period, for a running backup, or after a repack (not for immutability). */
  packsDeferred: number;
  bytesDeferred: number;
  bytesLocked: number;
}

export function planPrune(f: PruneFacts): PrunePlan {
  const plan: PrunePlan = { delete: [], keep: [], repack: [], remember: [], holdsToDelete: [], bytesFreed: 0, packsDeferred: 0, bytesDeferred: 0, bytesLocked: 0 };
  const keep = (p: PlannedPack, reason: KeepReason, sinceMs: number, released: boolean): void => {
    plan.keep.push({ ...p, reason });
    plan.remember.push({ pack: Buffer.from(p.pack, 'hex'), sinceMs, released });
    if (reason === 'immutable') plan.bytesLocked += p.size;
    else {
      plan.packsDeferred++;
      plan.bytesDeferred += p.size;
    }
  };
  const remove = (p: PlannedPack, reason: DeleteReason): void => {
    plan.delete.push({ ...p, reason });
    plan.bytesFreed += p.size;
  };

  for (const [hex, obj] of f.present) {
    // A released pack still referenced is forgotten: it becomes unreferenced later, when another
    // snapshot goes, and the release's time would make backups started since look unable to name
    // it. (Released again if that snapshot wrote it; else it waits out the grace period.)
    if (f.referenced.has(hex)) continue;
    const p = { key: obj.key, size: obj.size, pack: hex };
    const mem = f.records.get(hex);
    const sinceMs = mem?.sinceMs ?? f.nowMs;
    const released = mem?.released ?? false;
    // The running-backup rule: a backup that started before this pack was first seen unreferenced
    // may be about to name it in its manifest, however old the pack or whatever forget said.
    if (f.running !== undefined && sinceMs >= f.running) keep(p, 'running-backup', sinceMs, released);
    else if (!released && f.nowMs - sinceMs < f.graceMs) keep(p, 'grace', sinceMs, released);
    // What is still immutable is kept, remembered with since when it is unreferenced (and
    // whether forget released it), so that the first prune after its immutability ends deletes it.
    else if (f.immutable.has(obj.key)) keep(p, 'immutable', sinceMs, released);
    else remove(p, released ? 'released' : 'grace-over');
  }

  // An immutable pack cannot go, so copying its live part would only add bytes.
  plan.repack = f.repackCandidates.filter((c) => !f.immutable.has(c.key));
  for (const c of plan.repack) {
    const p = { key: c.key, size: c.size, pack: c.pack.toString('hex') };
    // A repacked pack waits out the grace period, and running backups: readers that listed the
    // forwarding records before this run may still read it.
    if (f.graceMs <= 0 && f.running === undefined) remove(p, 'repacked');
    else keep(p, 'repacked-wait', f.nowMs, false);
  }

  for (const h of f.holds) if (!f.snapshots.has(h.snapshot)) plan.holdsToDelete.push(h.key);
  return plan;
}

/** The keys of unreferenced packs the plan would delete were nothing immutable: what to ask the store about. */
export function immutabilityQuestions(f: Omit<PruneFacts, 'immutable'>): string[] {
  const plan = planPrune({ ...f, immutable: new Map() });
  const keys = plan.delete.filter((d) => d.reason !== 'repacked').map((d) => d.key);
  for (const c of f.repackCandidates) keys.push(c.key);
  return keys;
}

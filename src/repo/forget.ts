// Forget: applies the keep policy to the snapshots of each volume, keeps every snapshot
// under a hold in force, and deletes the manifests of the rest. Data is never deleted here;
// the packs the removed snapshots wrote are handed to prune as released.
import { NotFoundInputError, UsageError } from '../errors.js';
import type { Manifest } from '../format/types.js';
import { checkVolumeName, listSnapshots, snapshotId, type SnapshotEntry } from './catalog.js';
import { type StoredHold, holdActive, listHolds } from './holds.js';
import { immutableAmong } from './immutable-objects.js';
import { writeRecord } from './prune-records.js';
import { deleteKeys } from './prune.js';
import type { Repository } from './repository.js';
import { type KeepPolicy, type Rule, applyPolicy, hasRules } from './keep-policy.js';

export interface ForgetOptions {
  volume?: string;
  policy: KeepPolicy;
  dryRun?: boolean;
  nowMs: number;
}

export interface HeldSnapshot {
  id: string;
  volume: string;
  until: string;
  reason: string;
  /** The policy alone would have removed it. */
  keptByHoldOnly: boolean;
}

/** A snapshot the policy would remove whose manifest is still immutable. */
export interface ImmutableSnapshot {
  id: string;
  volume: string;
  until: string;
}

export interface VolumeDecision {
  volume: string;
  keep: Array<{ id: string; time: string; reasons: Array<Rule | 'hold' | 'lock'> }>;
  remove: Array<{ id: string; time: string }>;
}

export interface ForgetReport {
  keep: string[];
  remove: string[];
  held: HeldSnapshot[];
  /** Kept because the manifest's immutability has not ended (a later forget removes them); JSON name kept. */
  locked: ImmutableSnapshot[];
  volumes: VolumeDecision[];
  /** The removed snapshots (on a dry run: those that would be removed). */
  removed: SnapshotEntry[];
  /** Manifests (and the expired holds of removed snapshots) deleted; 0 on a dry run. */
  objectsDeleted: number;
  dryRun: boolean;
}

export async function forget(repo: Repository, opts: ForgetOptions): Promise<ForgetReport> {
  if (!hasRules(opts.policy)) {
    throw new UsageError('forget: give at least one --keep-* rule with a count above 0 (forget refuses to remove every snapshot)');
  }
  if (opts.volume !== undefined) checkVolumeName(opts.volume);
  const all = await listSnapshots(repo, opts.volume);
  if (opts.volume !== undefined && all.length === 0) throw new NotFoundInputError(`no snapshots of volume ${opts.volume} in ${repo.store.description}`);
  const holds = await listHolds(repo, opts.volume);
  // Keyed by the id a manifest is stored under (a legacy copy is listed under its original's id).
  const holdsOf = new Map<string, StoredHold[]>();
  for (const h of holds) {
    const id = h.hold.snapshot.toString('hex');
    holdsOf.set(id, [...(holdsOf.get(id) ?? []), h]);
  }

  const byVolume = new Map<string, SnapshotEntry[]>();
  for (const s of all) byVolume.set(s.manifest.volume, [...(byVolume.get(s.manifest.volume) ?? []), s]);

  const report: ForgetReport = { keep: [], remove: [], held: [], locked: [], volumes: [], removed: [], objectsDeleted: 0, dryRun: opts.dryRun ?? false };
  const removed = report.removed;
  for (const [volume, entries] of [...byVolume].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const decided = applyPolicy(entries.map((e) => ({ timeMs: e.manifest.timeMs, entry: e })), opts.policy);
    const decision: VolumeDecision = { volume, keep: [], remove: [] };
    const keepOne = (e: SnapshotEntry, reasons: Array<Rule | 'hold' | 'lock'>) => {
      decision.keep.push({ id: snapshotId(e.manifest), time: iso(e.manifest), reasons });
      report.keep.push(snapshotId(e.manifest));
    };
    const heldNow = (m: Manifest) => (holdsOf.get(m.id.toString('hex')) ?? []).filter((h) => holdActive(h.hold, opts.nowMs));
    for (const k of decided.keep) {
      const active = heldNow(k.entry.manifest);
      keepOne(k.entry, [...(decided.reasons.get(k) ?? []), ...(active.length ? (['hold'] as const) : [])]);
      for (const h of active) report.held.push(heldOf(k.entry.manifest, h, false));
    }
    const unheld: SnapshotEntry[] = [];
    for (const r of decided.remove) {
      const active = heldNow(r.entry.manifest);
      if (active.length) {
        keepOne(r.entry, ['hold']);
        for (const h of active) report.held.push(heldOf(r.entry.manifest, h, true));
        continue;
      }
      unheld.push(r.entry);
    }
    // The store would refuse to delete an immutable manifest: keep it, and say so. Its reason
    // stays 'lock' in the JSON output (a field scripts read).
    const immutable = await immutableAmong(repo, unheld.map((e) => e.key), opts.nowMs);
    for (const entry of unheld) {
      const until = immutable.get(entry.key);
      if (until !== undefined) {
        keepOne(entry, ['lock']);
        report.locked.push({ id: snapshotId(entry.manifest), volume, until: new Date(until).toISOString() });
        continue;
      }
      decision.remove.push({ id: snapshotId(entry.manifest), time: iso(entry.manifest) });
      report.remove.push(snapshotId(entry.manifest));
      removed.push(entry);
    }
    report.volumes.push(decision);
  }

  if (!report.dryRun && removed.length) {
    // Released first: should forget stop after deleting some manifests, prune still knows
    // those snapshots' packs need no grace period. A released pack another snapshot still
    // uses (or whose manifest a killed forget did not delete) is marked live by prune, which
    // then drops the release.
    await writeRecord(
      repo,
      removed.flatMap((e) => e.manifest.packs.map((pack) => ({ pack, sinceMs: opts.nowMs, released: true }))),
      opts.nowMs,
    );
    await deleteKeys(repo, removed.map((e) => e.key));
    // Holds of removed snapshots have all expired (a hold in force keeps its snapshot).
    const expired = removed.flatMap((e) => (holdsOf.get(e.manifest.id.toString('hex')) ?? []).map((h) => h.key));
    await deleteKeys(repo, expired);
    report.objectsDeleted = removed.length + expired.length;
  }
  return report;
}

function heldOf(m: Manifest, h: StoredHold, keptByHoldOnly: boolean): HeldSnapshot {
  return { id: snapshotId(m), volume: m.volume, until: new Date(h.hold.untilMs).toISOString(), reason: h.hold.reason, keptByHoldOnly };
}

function iso(m: Manifest): string {
  return new Date(m.timeMs).toISOString();
}

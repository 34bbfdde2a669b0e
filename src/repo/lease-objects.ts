// The lease objects of a repository as data: writing and reading them, whether each is live or
// stale, what `unlock` removes, what `check` warns about, and `runningSince` for prune. How
// leases are taken and held is in lease.ts.
import { hostname } from 'node:os';
import { LEASE } from '../defaults.js';
import { IntegrityError, UnsupportedVersionError, errorMessage } from '../errors.js';
import { EXCLUSIVE_GATE_KEY, LEASE_PREFIX, leaseKey, parseLeaseKey } from '../format/layout.js';
import { type Lease, decodeLease, encodeLease } from '../format/lease-codec.js';
import { BlobKind } from '../format/seal.js';
import { ObjectNotFoundError, deleteAll, isNotFound } from '../store/object-store.js';
import type { Repository } from './repository.js';
import { getSealed, putSealed } from './sealed-object.js';
import { MAGICS } from '../format/sealed-object.js';

const MAGIC = MAGICS.lease;

export type { Lease };

export interface StoredLease {
  key: string;
  lease: Lease;
}

/** A lease object that cannot be read: damaged, sealed with another key, or of a newer format. */
export interface UnreadableLease {
  key: string;
  reason: string;
  /** Written by a newer snaptier: taken for live by exclusive acquisition, removed only by `unlock --all`. */
  newer: boolean;
}

export interface LeaseView {
  leases: StoredLease[];
  unreadable: UnreadableLease[];
  /** The owner (hex) named by the exclusive gate, when it exists. */
  gate: string | null;
}

/** Where a lease is judged from: the time now, and this process's host (for the pid test). */
export interface LeaseJudge {
  nowMs: number;
  host?: string;
  /** Whether a process of this host runs; tests inject it. */
  isRunning?: (pid: number) => boolean;
}

export async function writeLease(repo: Repository, lease: Lease): Promise<string> {
  const key = leaseKey(lease.id);
  await putSealed(repo, key, MAGIC, BlobKind.Lease, lease.id, encodeLease(lease));
  return key;
}

/**
 * Every lease object and the gate. Objects are immutable, so `cache` (key to what was read)
 * spares a poll the GETs of leases it has seen. A listed lease that is gone when read was
 * probably rewritten by its holder (new key first, then the old deleted): its new key may
 * have missed this listing, so the listing is taken again rather than the holder missed.
 */
export async function readLeases(repo: Repository, cache = new Map<string, StoredLease | UnreadableLease>()): Promise<LeaseView> {
  for (let attempt = 0; ; attempt++) {
    const keys: string[] = [];
    let gateListed = false;
    for await (const o of repo.store.list(LEASE_PREFIX)) {
      if (o.key === EXCLUSIVE_GATE_KEY) gateListed = true;
      else if (parseLeaseKey(o.key)) keys.push(o.key);
    }
    let vanished = false;
    const view: LeaseView = { leases: [], unreadable: [], gate: null };
    for (const key of keys) {
      let got = cache.get(key);
      if (!got) {
        got = (await readLease(repo, key)) ?? undefined;
        if (!got) {
          vanished = true;
          continue;
        }
        cache.set(key, got);
      }
      if ('lease' in got) view.leases.push(got);
      else view.unreadable.push(got);
    }
    if (gateListed) view.gate = await readGate(repo);
    if (!vanished || attempt >= 10) return view;
  }
}

/** The lease under `key`; null when it is gone. */
async function readLease(repo: Repository, key: string): Promise<StoredLease | UnreadableLease | null> {
  const id = Buffer.from(parseLeaseKey(key)!.id, 'hex');
  try {
    const lease = decodeLease(await getSealed(repo, key, MAGIC, BlobKind.Lease, id, LEASE.objectBytes, `lease ${key}`), LEASE.objectBytes);
    if (!lease.id.equals(id)) return { key, reason: 'it names another lease', newer: false };
    return { key, lease };
  } catch (err) {
    if (isNotFound(err) || (err instanceof IntegrityError && err.cause instanceof ObjectNotFoundError)) return null;
    if (err instanceof UnsupportedVersionError) return { key, reason: errorMessage(err), newer: true };
    if (err instanceof IntegrityError) return { key, reason: errorMessage(err), newer: false };
    throw err;
  }
}

/** The owner (hex) the exclusive gate names; null when it is gone or is not 16 bytes. */
export async function readGate(repo: Repository): Promise<string | null> {
  try {
    const raw = await repo.store.get(EXCLUSIVE_GATE_KEY);
    return raw.length === 16 ? raw.toString('hex') : null;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Why a lease is stale, or null while it is live. */
export function staleness(lease: Lease, judge: LeaseJudge): string | null {
  const host = judge.host ?? hostname();
  if (lease.host === host && !(judge.isRunning ?? processRuns)(lease.pid)) return `process ${lease.pid} no longer runs on ${host}`;
  if (judge.nowMs - lease.refreshedMs > LEASE.staleMs) return `not refreshed since ${isoSeconds(lease.refreshedMs)}`;
  return null;
}

/** `signal 0` tests for a process without touching it; EPERM means it runs as another user. */
export function processRuns(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "prune on host h1 (pid 123) since 2026-12-02T04:10:00Z" */
export function describeLease(l: Lease): string {
  return `${l.operation}${l.volume ? ` of volume ${l.volume}` : ''} on host ${l.host} (pid ${l.pid}) since ${isoSeconds(l.startedMs)}`;
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * For prune: the earliest start of a live backup or copy, less LEASE.marginMs; undefined when
 * none runs. Such an operation may name, in the manifest it has yet to write, any pack it
 * uploaded since it started, and any pack of the snapshot it builds on (which a concurrent
 * forget may have removed and released). So prune keeps every unreferenced pack first seen
 * unreferenced, or released, at or after this time, whatever the grace period says. Prune
 * must call this after listing the packs (a backup writes its lease before its first pack, so
 * any pack in that listing belongs to a lease this call sees), and must take "first seen" as a
 * time at or after the end of the listing in which the pack was seen (or keep the listing
 * shorter than the margin). Stale leases do not count: their holder is gone.
 */
export async function runningSince(repo: Repository, nowMs: number, judge: Omit<LeaseJudge, 'nowMs'> = {}): Promise<number | undefined> {
  let earliest: number | undefined;
  for (const { lease } of (await readLeases(repo)).leases) {
    if (lease.kind !== 'shared' || (lease.operation !== 'backup' && lease.operation !== 'copy')) continue;
    if (staleness(lease, { ...judge, nowMs })) continue;
    earliest = Math.min(earliest ?? lease.startedMs, lease.startedMs);
  }
  return earliest === undefined ? undefined : earliest - LEASE.marginMs;
}

export interface LeaseSummary {
  key: string;
  operation: string;
  kind: 'shared' | 'exclusive';
  volume: string;
  host: string;
  pid: number;
  started: string;
  refreshed: string;
  /** Why it is stale; absent while it is live. */
  stale?: string;
}

export interface ClearLeasesReport {
  removed: Array<LeaseSummary | { key: string; unreadable: string }>;
  /** Live leases left in place (none with `all`). */
  kept: LeaseSummary[];
  /** The exclusive gate was removed (its holder gone, or `all`). */
  gateRemoved: boolean;
  all: boolean;
}

export function summarize(s: StoredLease, judge: LeaseJudge): LeaseSummary {
  const l = s.lease;
  const stale = staleness(l, judge);
  return {
    key: s.key,
    operation: l.operation,
    kind: l.kind,
    volume: l.volume,
    host: l.host,
    pid: l.pid,
    started: isoSeconds(l.startedMs),
    refreshed: isoSeconds(l.refreshedMs),
    ...(stale ? { stale } : {}),
  };
}

/**
 * Removes stale leases, unreadable ones (but those of a newer snaptier) and a gate whose holder
 * has no live lease; with `all`, every lease and the gate, live or not.
 */
export async function clearLeases(repo: Repository, opts: LeaseJudge & { all?: boolean }): Promise<ClearLeasesReport> {
  const all = opts.all ?? false;
  const view = await readLeases(repo);
  const report: ClearLeasesReport = { removed: [], kept: [], gateRemoved: false, all };
  const doomed: string[] = [];
  const liveOwners = new Set<string>();
  for (const s of view.leases) {
    const summary = summarize(s, opts);
    if (all || summary.stale) {
      doomed.push(s.key);
      report.removed.push(summary);
    } else {
      report.kept.push(summary);
      liveOwners.add(s.lease.owner.toString('hex'));
    }
  }
  for (const u of view.unreadable) {
    if (!all && u.newer) continue;
    doomed.push(u.key);
    report.removed.push({ key: u.key, unreadable: u.reason });
  }
  if (view.gate !== null && (all || !liveOwners.has(view.gate))) {
    doomed.push(EXCLUSIVE_GATE_KEY);
    report.gateRemoved = true;
  }
  await deleteAll(repo.store, doomed);
  return report;
}

/** check's warnings: stale and unreadable leases, which `unlock` removes. */
export async function leaseWarnings(repo: Repository, judge: LeaseJudge): Promise<string[]> {
  const view = await readLeases(repo);
  const out: string[] = [];
  for (const s of view.leases) {
    const why = staleness(s.lease, judge);
    if (why) out.push(`lease ${s.key} of ${describeLease(s.lease)} is stale: ${why} (snaptier unlock removes it)`);
  }
  for (const u of view.unreadable)
    out.push(
      `lease ${u.key} cannot be read: ${u.reason}${u.newer ? ' (snaptier unlock --all removes it)' : ' (snaptier unlock removes it)'}`,
    );
  return out;
}

// Repository leases: which operations run against a repository, so that maintenance excludes
// itself and prune knows which backups may still name packs. A lease is a sealed object
// locks/<id> (lease-objects.ts) with host, pid, operation, kind, volume and two times.
//
// Shared (backup, copy at the destination, hold, forget, lock --extend) is written and held;
// it never waits and is never refused: backups run beside prune, whose grace period and
// `runningSince` keep their packs. Exclusive (prune, forget --prune) excludes other exclusive
// leases. Read-only commands take no lease. A holder rewrites its lease every LEASE.refreshMs
// under a new id (objects are immutable: new key first, then the old one deleted; the owner
// id and start time stay); a lease not rewritten for LEASE.staleMs, or of this host with a pid
// that no longer runs, is stale: ignored by acquisition, kept until `unlock` removes it.
//
// Exclusive acquisition, on every store: write our lease L, then list the leases until a
// listing shows no other live exclusive lease (we win), or one that ranks before ours (older
// start, then lower owner id: we delete L and fail), or LEASE.waitMs pass while only
// lower-ranked ones remain (they should be backing off; we delete L and fail). Why at most one
// wins: a winner decides on a listing taken after its own write that shows no other live
// exclusive owner. Were X and Y both to hold the lease, X's deciding listing precedes Y's write
// and Y's precedes X's, while each write precedes its own listing: a cycle. This needs a
// store whose listing shows every completed write (local, S3 since 2020, Azure, Ceph RGW), a
// listing that sees a rewrite's new key when the old one vanished (readLeases lists again),
// and host names that differ between machines sharing a repository (the pid test). Ranking
// lets the first-ranked contender of a race win, instead of all backing off as in restic.
//
// Where the store has atomic create (capabilities.atomicCreate), the fixed key locks/exclusive
// is also created with ifNotExists, holding our owner id, after L is written and before the
// listing: a contender that finds it and a live lease of the owner it names fails at once
// naming that holder. A gate whose owner has no live lease is stale: deleted and created again.
// Two processes doing that at once can each delete the other's new gate; the listing still
// decides, and a gate holder that finds the gate naming another owner backs off, so such a
// race ends with one winner. A gate holder waits for every other exclusive lease to go,
// whatever its rank (those contenders found the gate and are backing off), except one that
// started more than LEASE.waitMs before it: an established holder, whose gate a store that
// ignores conditional writes let us overwrite; then we back off.
//
// Release: delete the gate (when it names us), then L. The CLI releases on exit, on errors and
// on SIGINT/SIGTERM; after kill -9 the lease stays until it turns stale.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, systemClock } from '../clock.js';
import { LEASE } from '../defaults.js';
import { ConflictError, errorMessage } from '../errors.js';
import { EXCLUSIVE_GATE_KEY } from '../format/layout.js';
import type { LeaseKind, Lease } from '../format/lease-codec.js';
import { ObjectExistsError, isNotFound } from '../store/object-store.js';
import {
  type LeaseJudge,
  type LeaseView,
  type StoredLease,
  type UnreadableLease,
  describeLease,
  isoSeconds,
  processRuns,
  readGate,
  readLeases,
  staleness,
  writeLease,
} from './lease-objects.js';
import type { Repository } from './repository.js';

export interface LeaseRequest {
  /** backup, copy, prune, forget, hold, lock (the command names) */
  operation: string;
  kind: LeaseKind;
  volume?: string;
  /** Injected for tests: the clock (src/clock.ts), this process's identity, the pid test, the timings. */
  clock?: Clock;
  host?: string;
  pid?: number;
  isRunning?: (pid: number) => boolean;
  /** 0: never rewrite the lease (tests making stale leases). */
  refreshMs?: number;
  waitMs?: number;
}

/** A lease held by this process. `signal` aborts when the lease is lost (removed by unlock, or not refreshed in time). */
export class LeaseHandle {
  private current: Lease;
  private currentKey: string;
  private gateHeld = false;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private released = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly repo: Repository,
    lease: Lease,
    key: string,
    private readonly clock: Clock,
  ) {
    this.current = lease;
    this.currentKey = key;
  }

  get lease(): Lease {
    return this.current;
  }

  get key(): string {
    return this.currentKey;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** @internal acquisition marks the gate as ours */
  holdGate(held: boolean): void {
    this.gateHeld = held;
  }

  /** @internal starts the periodic rewrite */
  startRefresh(everyMs: number): void {
    if (everyMs <= 0) return;
    this.timer = setInterval(() => {
      this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    }, everyMs);
    this.timer.unref();
  }

  /**
   * Rewrites the lease under a new id with the time now; the old object goes after the new one
   * is stored. A lease someone removed is lost: the operation is told through `signal`, as is
   * one whose rewrites kept failing for LEASE.lostAfterMs (others may soon take it for stale).
   */
  async refresh(): Promise<void> {
    if (this.released || this.abort.signal.aborted) return;
    const now = this.clock.now();
    try {
      await this.repo.store.head(this.currentKey);
    } catch (err) {
      if (isNotFound(err)) return this.lose(`the lease ${this.currentKey} of this ${this.current.operation} was removed (snaptier unlock?)`);
      return this.failedRefresh(now, err);
    }
    const next: Lease = { ...this.current, id: randomBytes(16), refreshedMs: now };
    try {
      const key = await writeLease(this.repo, next);
      const old = this.currentKey;
      this.current = next;
      this.currentKey = key;
      await this.repo.store.delete(old).catch(() => {}); // left behind, it turns stale
    } catch (err) {
      this.failedRefresh(now, err);
    }
  }

  private failedRefresh(now: number, err: unknown): void {
    if (now - this.current.refreshedMs >= LEASE.lostAfterMs) {
      this.lose(
        `the lease of this ${this.current.operation} could not be refreshed since ${isoSeconds(this.current.refreshedMs)}: ${errorMessage(err)}`,
      );
    }
  }

  private lose(why: string): void {
    this.abort.abort(new ConflictError(`${why}; stopped so that no other operation takes the repository for unused`));
  }

  /** Deletes the gate (when it names us) and the lease. Safe to call twice. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    await this.refreshing?.catch(() => {});
    if (this.gateHeld && (await readGate(this.repo)) === this.current.owner.toString('hex'))
      await this.repo.store.delete(EXCLUSIVE_GATE_KEY);
    await this.repo.store.delete(this.currentKey);
  }
}

export async function acquireLease(repo: Repository, req: LeaseRequest): Promise<LeaseHandle> {
  const clock = req.clock ?? systemClock;
  const now = clock.now();
  const lease: Lease = {
    id: randomBytes(16),
    owner: randomBytes(16),
    host: req.host ?? hostname(),
    pid: req.pid ?? process.pid,
    operation: req.operation,
    kind: req.kind,
    volume: req.volume ?? '',
    startedMs: now,
    refreshedMs: now,
  };
  const key = await writeLease(repo, lease);
  const handle = new LeaseHandle(repo, lease, key, clock);
  if (req.kind === 'exclusive') {
    try {
      await contend(repo, handle, req, clock);
    } catch (err) {
      await handle.release().catch(() => {});
      throw err;
    }
  }
  handle.startRefresh(req.refreshMs ?? LEASE.refreshMs);
  return handle;
}

/** Runs `fn` under a lease, released however `fn` ends; `fn` gets the lease's signal. */
export async function withLease<T>(
  repo: Repository,
  req: LeaseRequest,
  fn: (signal: AbortSignal, handle: LeaseHandle) => Promise<T>,
): Promise<T> {
  const handle = await acquireLease(repo, req);
  try {
    return await fn(handle.signal, handle);
  } finally {
    await handle.release();
  }
}

/** Returns when `handle` holds the exclusive lease; throws ConflictError naming the holder otherwise. */
async function contend(repo: Repository, handle: LeaseHandle, req: LeaseRequest, clock: Clock): Promise<void> {
  const me = handle.lease;
  const mine = me.owner.toString('hex');
  const judge = (): LeaseJudge => ({
    nowMs: clock.now(),
    host: me.host,
    ...(req.isRunning ? { isRunning: req.isRunning } : { isRunning: processRuns }),
  });
  const cache = new Map<string, StoredLease | UnreadableLease>();
  const gated = repo.store.capabilities.atomicCreate;
  if (gated) await takeGate(repo, handle, cache, judge);

  const waitMs = req.waitMs ?? LEASE.waitMs;
  const deadline = clock.now() + waitMs;
  for (;;) {
    const view = await readLeases(repo, cache);
    const rivals = liveExclusive(view, judge()).filter((r) => r.owner !== mine);
    if (gated && view.gate !== mine) {
      // Another process re-created the gate after deleting ours (both took it for stale): it goes on.
      handle.holdGate(false);
      throw conflict(rivals.find((r) => r.owner === view.gate) ?? rivals[0]);
    }
    if (rivals.length === 0) return;
    const first = rivals.reduce((a, b) => (ranksBefore(a, b) ? a : b));
    // Through the gate, only a holder established before this race began outranks us: the gate
    // we hold was then not really atomic (a store that ignores conditional writes).
    const established = !gated || me.startedMs - first.startedMs > waitMs;
    if (established && ranksBefore(first, { owner: mine, startedMs: me.startedMs })) throw conflict(first);
    if (clock.now() >= deadline) throw conflict(first);
    await sleep(LEASE.pollMs);
  }
}

interface Rival {
  owner: string;
  startedMs: number;
  lease?: Lease;
  unreadable?: UnreadableLease;
}

/** Live exclusive leases by owner (a rewrite shows one owner under two keys), and leases of a newer snaptier. */
function liveExclusive(view: LeaseView, judge: LeaseJudge): Rival[] {
  const byOwner = new Map<string, Rival>();
  for (const { lease } of view.leases) {
    if (lease.kind !== 'exclusive' || staleness(lease, judge)) continue;
    byOwner.set(lease.owner.toString('hex'), { owner: lease.owner.toString('hex'), startedMs: lease.startedMs, lease });
  }
  // A lease we cannot read because it is newer may well be exclusive: it ranks first, never stale.
  for (const u of view.unreadable) if (u.newer) byOwner.set(u.key, { owner: u.key, startedMs: 0, unreadable: u });
  return [...byOwner.values()];
}

function ranksBefore(a: { owner: string; startedMs: number }, b: { owner: string; startedMs: number }): boolean {
  return a.startedMs !== b.startedMs ? a.startedMs < b.startedMs : a.owner < b.owner;
}

/**
 * Creates the gate with our owner id; a gate whose owner has a live lease means conflict, one
 * whose owner has none is stale and is replaced (a few times at most: others may be at it too).
 */
async function takeGate(
  repo: Repository,
  handle: LeaseHandle,
  cache: Map<string, StoredLease | UnreadableLease>,
  judge: () => LeaseJudge,
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await repo.store.put(EXCLUSIVE_GATE_KEY, [handle.lease.owner], { ifNotExists: true });
      handle.holdGate(true);
      return;
    } catch (err) {
      if (!(err instanceof ObjectExistsError)) throw err;
    }
    const view = await readLeases(repo, cache);
    if (view.gate === null) continue; // released meanwhile
    const holder = liveExclusive(view, judge()).find((r) => r.owner === view.gate);
    if (holder) throw conflict(holder);
    await repo.store.delete(EXCLUSIVE_GATE_KEY);
  }
  throw new ConflictError('the exclusive lease of the repository changed hands five times while this operation tried to take it; try again');
}

function conflict(r: Rival | undefined): ConflictError {
  if (r?.lease) return new ConflictError(`the repository's exclusive lease is held by ${describeLease(r.lease)}; if that process is gone, run snaptier unlock`);
  if (r?.unreadable)
    return new ConflictError(
      `repository holds lease ${r.unreadable.key} that this snaptier cannot read (${r.unreadable.reason}); if no other snaptier runs, run snaptier unlock --all`,
    );
  return new ConflictError("the repository's exclusive lease is held by another operation; if no other snaptier runs, run snaptier unlock");
}

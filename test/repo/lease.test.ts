// Repository leases through the library, on the local store (exclusive gate by atomic create),
// on s3rver without atomic create (listing decides) and on s3rver claiming atomic create that
// it ignores (two gates at once: the listing still decides): racing exclusive acquisitions
// have exactly one winner, shared leases never wait, stale leases do not block, unlock removes
// what is stale (with all, everything) and check warns about stale leases.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Codec,
  ConflictError,
  LocalStore,
  type ObjectStore,
  Repository,
  acquireLease,
  checkRepository,
  readLeases,
  runningSince,
  clearLeases,
} from '../../src/index.js';
import { LEASE } from '../../src/defaults.js';
import { S3Store } from '../../src/store/s3/s3-store.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

const LOCKED =
  /^the repository's exclusive lease is held by prune on host \S+ \(pid \d+\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; if that process is gone, run snaptier unlock$/;

const s3 = useS3rver('snaptier-leases-');

const stores: Array<[string, () => ObjectStore]> = [
  ['local store (gate by atomic create)', () => new LocalStore(join(s3.dir, `r-${Math.random().toString(36).slice(2)}`))],
  ['s3rver, atomic-create=false (listing decides)', () => s3Store('false')],
  ['s3rver claiming atomic create it ignores (racing gates)', () => s3Store('true')],
];

function s3Store(atomic: string): ObjectStore {
  const bucket = s3.bucket('lease');
  return new S3Store(`s3://${bucket}/r?endpoint=${encodeURIComponent(s3.server.endpoint)}&atomic-create=${atomic}`, {
    credentials: s3.server.credentials,
  });
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

describe.each(stores)('repository leases on the %s', (_name, makeStore) => {
  let repo: Repository;
  beforeAll(async () => {
    repo = await Repository.init(makeStore(), { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10 });
  });

  it('ten exclusive acquisitions race: exactly one wins, the others name the holder and its start', async () => {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => acquireLease(repo, { operation: 'prune', kind: 'exclusive' })),
      );
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      expect(won).toHaveLength(1);
      for (const err of lost) {
        expect(err).toBeInstanceOf(ConflictError);
        expect((err as Error).message).toMatch(LOCKED);
      }
      // The losers left nothing behind; the winner's lease (and gate) go with its release.
      expect((await readLeases(repo)).leases.map((l) => l.key)).toEqual([won[0]!.key]);
      await won[0]!.release();
      expect(await readLeases(repo)).toEqual({ leases: [], unreadable: [], gate: null });
    }
  });

  it('an exclusive lease refuses another exclusive one but never a shared one, nor is it refused by shared ones', async () => {
    const backup = await acquireLease(repo, { operation: 'backup', kind: 'shared', volume: 'v' });
    const prune = await acquireLease(repo, { operation: 'prune', kind: 'exclusive' });
    const hold = await acquireLease(repo, { operation: 'hold', kind: 'shared', volume: 'v' });
    // On the store that ignores conditional writes this overwrites prune's gate and then waits
    // out waitMs for prune to back off, which it does not: keep that wait short.
    const err = await acquireLease(repo, { operation: 'forget', kind: 'exclusive', waitMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(LOCKED);
    expect((err as Error).message).toContain(`on host ${hostname()} (pid ${process.pid})`);
    // prune learns which backups run: the earliest start of a live backup or copy, less the margin.
    expect(await runningSince(repo, Date.now())).toBe(backup.lease.startedMs - LEASE.marginMs);
    await Promise.all([backup.release(), prune.release(), hold.release()]);
    expect(await runningSince(repo, Date.now())).toBeUndefined();
    expect((await readLeases(repo)).leases).toEqual([]);
  });

  it('a rewritten lease keeps its owner and start; a removed one aborts its holder', async () => {
    const h = await acquireLease(repo, { operation: 'backup', kind: 'shared', volume: 'v', refreshMs: 0 });
    const first = h.key;
    await h.refresh();
    expect(h.key).not.toBe(first);
    const leases = (await readLeases(repo)).leases;
    expect(leases.map((l) => l.key)).toEqual([h.key]);
    expect(leases[0]!.lease).toMatchObject({ owner: h.lease.owner, startedMs: h.lease.startedMs });
    await clearLeases(repo, { nowMs: Date.now(), all: true });
    await h.refresh();
    expect(h.signal.aborted).toBe(true);
    expect(h.signal.reason).toBeInstanceOf(ConflictError);
    await h.release();
  });

  it('a damaged lease object blocks nothing, check warns about it and unlock removes it', async () => {
    const key = `locks/${'d'.repeat(32)}`;
    await repo.store.put(key, [Buffer.from('not a lease')]);
    expect((await readLeases(repo)).unreadable).toMatchObject([{ key, newer: false }]);
    const h = await acquireLease(repo, { operation: 'prune', kind: 'exclusive' });
    expect((await checkRepository(repo, { readData: false })).warnings).toEqual([
      expect.stringMatching(new RegExp(`^lease ${key} cannot be read: .*damaged.*snaptier unlock removes it`)),
    ]);
    expect((await clearLeases(repo, { nowMs: Date.now() })).removed).toEqual([{ key, unreadable: expect.stringContaining('damaged') }]);
    await h.release();
    expect(await readLeases(repo)).toEqual({ leases: [], unreadable: [], gate: null });
  });

  it('stale leases do not block; unlock removes them and keeps live ones; --all removes every lease; check warns', async () => {
    const old = Date.now() - LEASE.staleMs - 60_000;
    // Holders gone without releasing: one stopped refreshing long ago (another host), one whose process has ended here.
    const silent = await acquireLease(repo, { operation: 'prune', kind: 'exclusive', host: 'elsewhere', clock: { now: () => old }, refreshMs: 0 });
    const dead = await acquireLease(repo, { operation: 'prune', kind: 'exclusive', pid: deadPid(), refreshMs: 0 });
    const live = await acquireLease(repo, { operation: 'prune', kind: 'exclusive' });
    const backup = await acquireLease(repo, {
      operation: 'backup',
      kind: 'shared',
      volume: 'v',
      host: 'elsewhere',
      clock: { now: () => old },
      refreshMs: 0,
    });
    expect(await runningSince(repo, Date.now())).toBeUndefined(); // a stale backup protects nothing

    const check = await checkRepository(repo, { readData: false });
    expect(check.ok).toBe(true);
    const stale = check.warnings.filter((w) => /^lease locks\/[0-9a-f]{32} of .* is stale: /.test(w));
    expect(stale).toHaveLength(3);
    expect(stale.join('\n')).toContain('no longer runs on');
    expect(stale.join('\n')).toContain('not refreshed since');

    const r = await clearLeases(repo, { nowMs: Date.now() });
    expect(r.removed.map((x) => x.key).sort()).toEqual([silent.key, dead.key, backup.key].sort());
    expect(r.kept.map((x) => x.key)).toEqual([live.key]);
    expect(r.gateRemoved).toBe(false); // the gate, where there is one, is the live holder's
    expect((await readLeases(repo)).leases.map((l) => l.key)).toEqual([live.key]);
    expect((await checkRepository(repo, { readData: false })).warnings).toEqual([]);

    const all = await clearLeases(repo, { nowMs: Date.now(), all: true });
    expect(all.removed.map((x) => x.key)).toEqual([live.key]);
    expect(await readLeases(repo)).toEqual({ leases: [], unreadable: [], gate: null });
    await Promise.all([silent.release(), dead.release(), live.release(), backup.release()]); // already gone: fine
  });
});

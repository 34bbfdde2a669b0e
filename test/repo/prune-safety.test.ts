// prune deletes nothing when it cannot see every snapshot whole, and leaves no holds behind
// for snapshots that are gone. Library API, generated data, a real local repository.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, IntegrityError, LocalStore, Repository, backupVolume, forget, listHolds, listSnapshots, placeHold, prune } from '../../src/index.js';
import { tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';
import { listObjects } from '../helpers/repo-files.js';

describe('prune safety', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let root: string;
  let repo: Repository;
  const NOW = Date.parse('2026-06-01T00:00:00Z');

  beforeAll(async () => {
    dir = await tempDir('snaptier-prune-safety-');
    root = join(dir.path, 'repo');
    repo = await Repository.init(new LocalStore(root), { password: 'pw', compression: Codec.Zstd, kdfLog2N: 10, packSize: 1 << 20 });
    const image = join(dir.path, 'img');
    const rng = new Rng(3);
    for (let i = 0; i < 4; i++) {
      // Every snapshot rewrites the whole image: each one's packs are its own.
      await writeFile(image, rng.bytes(2 << 20));
      await backupVolume(repo, { volume: 'v', source: image, time: new Date(Date.UTC(2026, 0, i + 1)) });
    }
  });
  afterAll(() => dir?.cleanup());

  it('stops before deleting anything when a manifest cannot be read', async () => {
    const snaps = await listSnapshots(repo, 'v');
    // Forgotten by hand (as a crash of forget might leave it): its packs become garbage.
    await rm(join(root, snaps[0]!.key));
    const victim = join(root, snaps[1]!.key);
    const good = await readFile(victim);
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 1;
    await writeFile(victim, bad);
    const before = await listObjects(root);
    await expect(prune(repo, { graceMs: 0, nowMs: NOW })).rejects.toThrow(IntegrityError);
    await expect(prune(repo, { graceMs: 0, nowMs: NOW })).rejects.toThrow(/nothing deleted/);
    expect(await listObjects(root)).toEqual(before);
    await writeFile(victim, good);
    const r = await prune(repo, { graceMs: 0, nowMs: NOW });
    expect(r.packsDeleted).toBeGreaterThanOrEqual(2); // the first snapshot's data and tree packs
    expect(r.snapshots).toBe(3);
  });

  it('deletes the expired holds of the snapshots it removes, and holds whose snapshot is gone', async () => {
    const snaps = (await listSnapshots(repo, 'v')).map((s) => s.manifest.id.toString('hex'));
    await placeHold(repo, { volume: 'v', snapshot: snaps[0]!, untilMs: NOW - 1000, nowMs: NOW - 5000 }); // expired
    await placeHold(repo, { volume: 'v', snapshot: snaps[1]!, untilMs: NOW + 86_400_000, nowMs: NOW }); // in force
    const f = await forget(repo, { volume: 'v', policy: { last: 1 }, nowMs: NOW });
    expect(f.remove).toEqual([snaps[0]]);
    expect(f.held.map((h) => h.id)).toEqual([snaps[1]]);
    expect(f.objectsDeleted).toBe(2); // the manifest and its expired hold
    expect((await listHolds(repo, 'v')).map((h) => h.hold.snapshot.toString('hex'))).toEqual([snaps[1]]);

    // A hold left behind by a snapshot deleted some other way is swept by prune.
    await rm(join(root, (await listSnapshots(repo, 'v')).find((s) => s.manifest.id.toString('hex') === snaps[1])!.key));
    const HOUR = 3_600_000;
    const p = await prune(repo, { graceMs: HOUR, nowMs: NOW });
    expect(p.holdsDeleted).toBe(1);
    expect(await listHolds(repo)).toEqual([]);
    // Released by forget: gone at once. Orphaned by hand (not released): they wait out the grace.
    expect(p.packsDeleted).toBeGreaterThanOrEqual(2);
    expect(p.packsDeferred).toBeGreaterThanOrEqual(2);
    expect(await prune(repo, { graceMs: HOUR, nowMs: NOW + HOUR - 1 })).toMatchObject({ packsDeleted: 0, packsDeferred: p.packsDeferred });
    expect(await prune(repo, { graceMs: HOUR, nowMs: NOW + HOUR })).toMatchObject({ packsDeleted: p.packsDeferred, packsDeferred: 0, snapshots: 1 });
    expect([...(await listObjects(root)).keys()].filter((k) => k.startsWith('prune/'))).toEqual([]);
  });
});

// Concurrent writers on one S3 repository (s3rver): three backups at once (volumes a and b,
// and volume a a second time, as from a second host) with prune --grace 0 or forget --prune
// --grace 0 run while they are mid-way, in seeded interleavings. Gate proxies put each backup
// at a chosen point when the maintenance runs: held at its first pack PUT (lock taken, nothing
// stored), held at its manifest PUT (every pack stored, none named: the worst moment), already
// done, or running free. Every backup must succeed, every snapshot left must restore bit-exact
// and check --read-data must pass.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runJson, start } from '../helpers/cli.js';
import { type GateProxy, startGateProxy } from '../helpers/gate-proxy.js';
import { type Mutation, mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

const SEED = 20261202;
const ROUNDS = 4;
const IMAGE_BYTES = 4 << 20;
const HOLD = { 'first-pack': /\/data\//, manifest: /\/snapshots\// } as const;
type Point = keyof typeof HOLD | 'free' | 'done';

interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

describe('concurrent writers on S3 (s3rver)', () => {
  const s3 = useS3rver('snaptier-concurrent-');
  const bucket = s3.bucket('conc');

  it('three backups and a prune at once, in seeded interleavings: all succeed, every snapshot restores bit-exact, check --read-data passes', async () => {
    const url = (endpoint: string) => `s3://${bucket}/r?endpoint=${encodeURIComponent(endpoint)}&path-style=true&atomic-create=false`;
    const repo = url(s3.server.endpoint);
    await runJson(['init', '--repo', repo, '--pack-size', '1'], s3.env);
    // Times order the snapshots of a round: a2's is the newest of volume a, so it is the parent
    // of both volume-a backups of the next round.
    const writers = [
      { name: 'a1', volume: 'a', minute: 1 },
      { name: 'a2', volume: 'a', minute: 2 }, // volume a again, as from a second host, another image
      { name: 'b', volume: 'b', minute: 1 },
    ].map((w, i) => ({ ...w, image: join(s3.dir, `${w.name}.img`), seed: SEED + i }));
    await Promise.all(writers.map((w) => writeImage(w.image, IMAGE_BYTES, w.seed)));
    const shaOf = new Map<string, string>(); // snapshot id -> SHA-256 of the image it was taken of
    let lastHeld: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const rng = new Rng(SEED + round);
      if (round > 0) {
        // Data first (a backup held at its first pack must have one), then anything.
        for (const w of writers)
          for (const kinds of [
            ['scattered', 'contiguous'],
            ['scattered', 'contiguous', 'zero'],
          ] as Mutation[][])
            await mutate(w.image, rng.pick(kinds), rng);
      }
      const shas = await Promise.all(writers.map((w) => sha256File(w.image)));
      const forgetting = round % 2 === 1;
      const points = writers.map(() => rng.pick<Point>(['free', 'first-pack', 'manifest', 'done']));
      if (forgetting) {
        // a1 (another image) commits first, so forget --keep-last 1 removes a2's parent while a2
        // waits at its manifest, naming that parent's packs for everything it left unchanged.
        points[0] = 'done';
        points[1] = 'manifest';
      } else if (!points.includes('manifest')) points[rng.int(points.length)] = 'manifest';
      const maintenance = forgetting ? ['forget', '--keep-last', '1', '--prune', '--grace', '0'] : ['prune', '--grace', '0'];
      const what = `round ${round}: ${writers.map((w, i) => `${w.name} ${points[i]}`).join(', ')}; ${maintenance.join(' ')}`;

      const gates: Array<GateProxy | null> = await Promise.all(
        points.map((p) =>
          p === 'first-pack' || p === 'manifest'
            ? startGateProxy(s3.server.endpoint, (req) => req.method === 'PUT' && HOLD[p].test(req.url ?? ''))
            : null,
        ),
      );
      const ids: string[] = [];
      const runs: Array<{ child: ChildProcess; done: Promise<Finished> }> = [];
      const finished = (i: number, r: Finished): void => {
        expect(r.code, `${what}: backup ${writers[i]!.name} exited ${r.code}: ${r.stderr}`).toBe(0);
        ids[i] = JSON.parse(r.stdout).snapshot;
        shaOf.set(ids[i]!, shas[i]!);
      };
      try {
        const time = (minute: number) => new Date(Date.UTC(2026, 0, 1, round, minute)).toISOString();
        for (const [i, w] of writers.entries())
          runs.push(backup(url(gates[i]?.endpoint ?? s3.server.endpoint), w.volume, w.image, time(w.minute)));
        // Each backup at its point; one that ends before reaching it fails the round, not hangs it.
        await Promise.all(
          points.map(async (p, i) => {
            if (p === 'done') return finished(i, await runs[i]!.done);
            const g = gates[i];
            if (g)
              await Promise.race([
                g.held,
                runs[i]!.done.then((r) =>
                  Promise.reject(new Error(`${what}: backup ${writers[i]!.name} exited ${r.code} before its hold point: ${r.stderr}`)),
                ),
              ]);
          }),
        );
        const m = await runJson([...maintenance, '--repo', repo], s3.env);
        if (forgetting) expect(m.remove.length, what).toBeGreaterThan(0);
        for (const i of shuffled(rng, [0, 1, 2])) {
          if (points[i] === 'done') continue;
          gates[i]?.open();
          finished(i, await runs[i]!.done);
        }
        lastHeld = ids.filter((_id, i) => points[i] === 'manifest');
        // Depends on the lease-aware prune, as the restores at the end do.
        const c = await run(['check', '--repo', repo], s3.env);
        expect(c.code, `${what}: check after the round: ${c.stdout}${c.stderr}`).toBe(0);
      } finally {
        for (const r of runs) if (r.child.exitCode === null) r.child.kill();
        await Promise.all(gates.map((g) => g?.close()));
      }
    }

    // These, and check after each round, depend on prune honouring runningSince
    // (src/repo/lease-objects.ts). A backup held at its manifest while prune --grace 0 ran has
    // packs no snapshot names yet; in forget rounds the snapshot a2 builds on is removed and
    // its packs released, while a2 still names them. Without the lease-aware prune those packs
    // are deleted and the checks and restores fail (round 0 already, with prune.ts as it is).
    const left: Array<{ id: string; volume: string }> = await runJson(['snapshots', '--repo', repo], s3.env);
    expect(left.map((s) => s.id)).toEqual(expect.arrayContaining(lastHeld));
    for (const s of left) {
      const target = join(s3.dir, `restore-${s.id}`);
      await runJson(['restore', '--repo', repo, '--volume', s.volume, '--snapshot', s.id, '--target', target], s3.env);
      expect(await sha256File(target), `snapshot ${s.id} of ${s.volume}`).toBe(shaOf.get(s.id));
    }
    const check = await runJson(['check', '--repo', repo, '--read-data'], s3.env);
    expect(check).toMatchObject({ ok: true, errors: [] });
    expect(check.warnings.filter((w: string) => w.startsWith('lease '))).toEqual([]);
  });

  function backup(repo: string, volume: string, image: string, time: string): { child: ChildProcess; done: Promise<Finished> } {
    const { child, ended } = start(['backup', '--repo', repo, '--volume', volume, '--source', image, '--time', time, '--json'], s3.env);
    const done = ended.then((e): Finished => ({ code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr }));
    return { child, done };
  }
});

function shuffled<T>(rng: Rng, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

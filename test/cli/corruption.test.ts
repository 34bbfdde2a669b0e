// Integrity through the command line, in an encrypted and an unencrypted repository holding
// chains of snapshots of two volumes: one flipped byte in any object is found by
// `check --read-data`, which names the object; every restore is then either bit-exact or fails
// with exit 3 naming the snapshot and the bytes it could not prove. Truncated, emptied and
// overwritten objects and a damaged config fail the same way: exit 3, one line, never a crash.
import { copyFile, mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunResult, run, runJson, tempDir } from '../helpers/cli.js';
import { STACK_FRAME } from '../helpers/cli-expect.js';
import { type Mutation, mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { copyRepo, listObjects, newKeys, packBlobsEnd } from '../helpers/repo-files.js';

const MiB = 1024 * 1024;

interface Snap {
  volume: string;
  id: string;
  short: string;
  sha: string;
  /** Position in the order of backups. */
  seq: number;
  /** Objects this backup wrote. */
  wrote: string[];
  manifest: string;
}

interface Chain {
  dir: string;
  repo: string;
  snaps: Snap[];
  /** Object key -> the snapshot whose backup wrote it. */
  writer: Map<string, Snap>;
}

type Mode = 'fingerprints' | 'changed-extents' | 'previous-source';

/** Volume A: three snapshots; volume B: two. Each later one follows a seeded mutation. */
const PLAN: Array<{ volume: string; size?: number; mutation?: Mutation; mode?: Mode }> = [
  { volume: 'vol-a', size: 3 * MiB + 12345 },
  { volume: 'vol-b', size: 2 * MiB + 4096 },
  { volume: 'vol-a', mutation: 'scattered', mode: 'fingerprints' },
  { volume: 'vol-b', mutation: 'contiguous', mode: 'previous-source' },
  { volume: 'vol-a', mutation: 'contiguous', mode: 'changed-extents' },
];

async function makeChain(dir: string, initArgs: string[], seed: number): Promise<Chain> {
  const repo = join(dir, 'repo');
  await runJson(['init', '--repo', repo, ...initArgs]);
  const rng = new Rng(seed);
  const live = new Map<string, string>();
  const snaps: Snap[] = [];
  const writer = new Map<string, Snap>();
  for (const [seq, step] of PLAN.entries()) {
    const path = join(dir, `live-${step.volume}`);
    const args = ['backup', '--repo', repo, '--volume', step.volume, '--source', path];
    if (!live.has(step.volume)) {
      await writeImage(path, step.size!, seed * 100 + seq);
      live.set(step.volume, path);
    } else {
      const previous = join(dir, `previous-${seq}`);
      await copyFile(path, previous);
      const changes = await mutate(path, step.mutation!, rng);
      if (step.mode === 'previous-source') args.push('--previous-source', previous);
      if (step.mode === 'changed-extents') {
        await writeFile(join(dir, `extents-${seq}.json`), JSON.stringify(changes));
        args.push('--changed-extents', join(dir, `extents-${seq}.json`));
      }
    }
    const before = await listObjects(repo);
    const b = await runJson(args);
    const wrote = newKeys(before, await listObjects(repo));
    const manifest = wrote.find((k) => k.startsWith('snapshots/'))!;
    const snap: Snap = { volume: step.volume, id: b.snapshot, short: b.snapshot.slice(0, 8), sha: await sha256File(path), seq, wrote, manifest };
    expect(manifest).toMatch(new RegExp(`^snapshots/[0-9a-f]{32}/${b.snapshot}$`));
    for (const k of wrote) writer.set(k, snap);
    snaps.push(snap);
  }
  return { dir, repo, snaps, writer };
}

/** No crash: the exit code is one the contract knows and stderr holds no trace or JS error. */
function expectNoCrash(r: RunResult, what: string): void {
  const ctx = `${what}: exit ${r.code}, stderr ${JSON.stringify(r.stderr)}`;
  expect([0, 2, 3], ctx).toContain(r.code);
  expect(r.stderr, ctx).not.toMatch(STACK_FRAME);
  expect(r.stderr, ctx).not.toMatch(/TypeError|RangeError|ReferenceError|Cannot read|undefined|\[object /);
}

interface Outcome {
  check: RunResult;
  restores: Array<{ snap: Snap; r: RunResult; sha: string | null }>;
}

/** `check --read-data --json` and a restore of each snapshot (all by default), all at once. */
async function probe(c: Chain, repo: string, outDir: string, env: Record<string, string>, snaps = c.snaps): Promise<Outcome> {
  const [check, ...restores] = await Promise.all([
    run(['check', '--repo', repo, '--read-data', '--json'], env),
    ...snaps.map((s) => run(['restore', '--repo', repo, '--volume', s.volume, '--snapshot', s.id, '--target', join(outDir, `restore-${s.seq}`)], env)),
  ]);
  return {
    check: check!,
    restores: await Promise.all(
      restores.map(async (r, i) => ({ snap: snaps[i]!, r, sha: r.code === 0 ? await sha256File(join(outDir, `restore-${snaps[i]!.seq}`)) : null })),
    ),
  };
}

/** check exits 3 and one of its errors names `key`. */
function expectCheckNames(o: Outcome, key: string, what: string): void {
  const ctx = `${what}: check exit ${o.check.code}, stdout ${o.check.stdout}, stderr ${o.check.stderr}`;
  expectNoCrash(o.check, `${what}: check`);
  expect(o.check.code, ctx).toBe(3);
  expect(o.check.stderr, ctx).toBe('');
  const doc = JSON.parse(o.check.stdout);
  expect(doc.ok, ctx).toBe(false);
  expect(doc.errors.length, ctx).toBeGreaterThan(0);
  expect(doc.errors.some((e: string) => e.includes(key)), ctx).toBe(true);
}

/**
 * Each restore is bit-exact, or exits 3 with one line naming the snapshot and the bytes it
 * could not prove; a snapshot whose own manifest is damaged fails naming that manifest.
 * Returns the snapshots whose restore failed.
 */
function expectRestoresExactOrProven(o: Outcome, damagedKey: string, what: string): Snap[] {
  const failed: Snap[] = [];
  for (const { snap, r, sha } of o.restores) {
    const ctx = `${what}: restore of ${snap.volume} ${snap.short} (#${snap.seq}): exit ${r.code}, stderr ${JSON.stringify(r.stderr)}`;
    expectNoCrash(r, ctx);
    if (r.code === 0) {
      expect(sha, ctx).toBe(snap.sha);
      expect(r.stderr, ctx).toBe('');
      continue;
    }
    failed.push(snap);
    expect(r.code, ctx).toBe(3);
    expect(r.stderr, ctx).toMatch(/^snaptier: [^\n]+\n$/);
    if (damagedKey === snap.manifest) {
      expect(r.stderr, ctx).toContain(damagedKey);
    } else {
      expect(r.stderr, ctx).toContain(`snapshot ${snap.short}`);
      expect(r.stderr, ctx).toMatch(/bytes \d+-\d+/);
    }
  }
  return failed;
}

describe.each([
  // The flip test restores on the main thread (SNAPTIER_WORKERS=0: it runs hundreds of short
  // processes, and each worker thread costs one more start-up); the other damage tests restore
  // on the default worker threads in the encrypted repository, so both paths meet damage.
  { name: 'encrypted', initArgs: [] as string[], seed: 301, env: {} as Record<string, string> },
  { name: 'unencrypted', initArgs: ['--no-encryption'], seed: 302, env: { SNAPTIER_WORKERS: '0' } as Record<string, string> },
])('damage in an $name repository', ({ initArgs, seed, env }) => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let chain: Chain;
  let copies = 0;

  /** A fresh copy of the repository and a directory for restore targets. */
  const copy = async (): Promise<{ repo: string; out: string }> => {
    const n = copies++;
    const repo = join(tmp.path, `copy-${n}`);
    await copyRepo(chain.repo, repo);
    const out = join(tmp.path, `out-${n}`);
    await mkdir(out);
    return { repo, out };
  };

  beforeAll(async () => {
    tmp = await tempDir('snaptier-corrupt-');
    chain = await makeChain(tmp.path, initArgs, seed);
  });
  afterAll(async () => tmp?.cleanup());

  it('the undamaged repository checks clean', async () => {
    // (Undamaged snapshots restore bit-exact in every probe of the flip test below.)
    const check = await run(['check', '--repo', chain.repo, '--read-data', '--json'], env);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, errors: [], warnings: [], snapshots: PLAN.length });
    // Every object but the config was written by exactly one backup.
    const all = [...(await listObjects(chain.repo)).keys()].filter((k) => k !== 'config').sort();
    expect(all).toEqual([...chain.writer.keys()].sort());
    expect(all.filter((k) => k.startsWith('data/')).length).toBeGreaterThanOrEqual(4);
  });

  it('one flipped byte in any object: check names it; restores are bit-exact or fail with exit 3 naming snapshot and bytes', async () => {
    const rng = new Rng(seed);
    const keys = [...chain.writer.keys()].sort();
    // Drawn up front, in key order, so the damage does not depend on which probe runs first.
    const draws = new Map(keys.map((k) => [k, { at: rng.next(), xor: 1 + rng.int(255) }]));
    const flipOne = async (key: string): Promise<void> => {
      const { repo, out } = await copy();
      const path = join(repo, key);
      const buf = await readFile(path);
      // In packs, damage the blobs a restore reads (trailer damage has its own test below).
      const isPack = key.startsWith('data/') || key.startsWith('tree/');
      const end = isPack ? packBlobsEnd(buf) : buf.length;
      const { at, xor } = draws.get(key)!;
      const pos = Math.floor(at * end);
      buf[pos] = buf[pos]! ^ xor;
      await writeFile(path, buf);
      const what = `${key} (${buf.length} bytes) flipped at ${pos}`;
      const o = await probe(chain, repo, out, { ...env, SNAPTIER_WORKERS: '0' });
      expectCheckNames(o, key, what);
      const failed = expectRestoresExactOrProven(o, key, what);
      const by = chain.writer.get(key)!;
      // Snapshots made before this object existed, or of the other volume, cannot need it.
      for (const s of failed) {
        expect(s.volume === by.volume && s.seq >= by.seq, `${what}: restore of ${s.volume} #${s.seq} failed`).toBe(true);
      }
      // The snapshot whose backup wrote it reads every blob of it: its restore must fail.
      expect(
        failed.map((s) => s.seq),
        `${what}: the restore of ${by.volume} #${by.seq} did not notice`,
      ).toContain(by.seq);
    };
    // Two objects at a time; each probe runs its six processes at once.
    const queue = [...keys];
    await Promise.all(
      [0, 1].map(async () => {
        for (let k = queue.shift(); k !== undefined; k = queue.shift()) await flipOne(k);
      }),
    );
  }, 300_000); // ~90 processes: allow for a machine busy with other suites

  /** The object under `prefix` that the first backup wrote (the full one, for data packs). */
  const firstWritten = (prefix: string) =>
    [...chain.writer.keys()].filter((k) => k.startsWith(prefix)).sort((a, b) => chain.writer.get(a)!.seq - chain.writer.get(b)!.seq || a.localeCompare(b))[0]!;
  /** The snapshot whose backup wrote `key`. */
  const writerOf = (key: string) => [chain.writer.get(key)!];

  // These restore only the snapshot that wrote the damaged object: the flip test above restores
  // every snapshot against damage to every object.
  it.each([
    { damage: 'the last 10 bytes of a data pack cut (its tail: restores do not read it)', prefix: 'data/', cut: (n: number) => n - 10, restoreFails: false },
    { damage: 'a data pack cut to half', prefix: 'data/', cut: (n: number) => Math.floor(n / 2), restoreFails: true },
    { damage: 'a tree pack cut to half', prefix: 'tree/', cut: (n: number) => Math.floor(n / 2), restoreFails: true },
    { damage: 'the last 10 bytes of a manifest cut', prefix: 'snapshots/', cut: (n: number) => n - 10, restoreFails: true },
    { damage: 'a manifest emptied (0 bytes)', prefix: 'snapshots/', cut: () => 0, restoreFails: true },
  ])('$damage: check exits 3 naming it, restores are exact or exit 3, never a crash', async ({ prefix, cut, restoreFails }) => {
    const { repo, out } = await copy();
    const key = firstWritten(prefix);
    const by = chain.writer.get(key)!;
    const size = (await readFile(join(repo, key))).length;
    await truncate(join(repo, key), cut(size));
    const what = `${key} cut from ${size} to ${cut(size)} bytes`;
    const o = await probe(chain, repo, out, env, writerOf(key));
    expectCheckNames(o, key, what);
    const failed = expectRestoresExactOrProven(o, key, what);
    if (restoreFails) expect(failed.map((s) => s.seq), what).toContain(by.seq);
    else expect(failed, what).toEqual([]);
  });

  it('a data pack replaced by random bytes of the same length: exit 3 naming it', async () => {
    const { repo, out } = await copy();
    const key = firstWritten('data/');
    const by = chain.writer.get(key)!;
    const size = (await readFile(join(repo, key))).length;
    await writeFile(join(repo, key), new Rng(seed + 1).bytes(size));
    const o = await probe(chain, repo, out, env, writerOf(key));
    expectCheckNames(o, key, `${key} replaced`);
    const failed = expectRestoresExactOrProven(o, key, `${key} replaced`);
    expect(failed.map((s) => s.seq)).toContain(by.seq);
  });

  it("a flipped byte in a data pack's trailer: check names the pack, every restore is still bit-exact", async () => {
    const { repo, out } = await copy();
    const key = firstWritten('data/');
    const buf = await readFile(join(repo, key));
    const from = packBlobsEnd(buf);
    const pos = from + new Rng(seed + 2).int(buf.length - from);
    buf[pos] = buf[pos]! ^ 0x40;
    await writeFile(join(repo, key), buf);
    const o = await probe(chain, repo, out, env, writerOf(key));
    expectCheckNames(o, key, `${key} trailer flipped at ${pos}`);
    // Restores read blobs by the map's references, never the trailer.
    expect(expectRestoresExactOrProven(o, key, `${key} trailer flipped at ${pos}`)).toEqual([]);
  });

  it('a damaged config: a clear one-line error and a non-zero exit, never a crash', async () => {
    const original = await readFile(join(chain.repo, 'config'));
    const rng = new Rng(seed + 3);
    const variants: Array<{ what: string; bytes: Buffer }> = [
      { what: 'empty', bytes: Buffer.alloc(0) },
      { what: 'cut by 10 bytes', bytes: original.subarray(0, original.length - 10) },
      { what: 'magic damaged', bytes: Buffer.concat([Buffer.from('X'), original.subarray(1)]) },
    ];
    // Seeded flips anywhere in it, and one in the repository id (bytes 12-27), which no later
    // read depends on: only a checksum over the config can notice that.
    for (const pos of [14, rng.int(original.length)]) {
      const b = Buffer.from(original);
      b[pos] = b[pos]! ^ (1 + rng.int(255));
      variants.push({ what: `byte ${pos} flipped`, bytes: b });
    }
    const results = await Promise.all(
      variants.map(async (v) => {
        const { repo, out } = await copy();
        await writeFile(join(repo, 'config'), v.bytes);
        const r = await run(['restore', '--repo', repo, '--volume', 'vol-a', '--snapshot', 'latest', '--target', join(out, 'restore')], env);
        return { v, r, repo };
      }),
    );
    for (const { v, r, repo } of results) {
      const ctx = `config ${v.what}: exit ${r.code}, stderr ${JSON.stringify(r.stderr)}`;
      expectNoCrash(r, ctx);
      expect(r.code, ctx).toBe(3);
      expect(r.stderr, ctx).toMatch(/^snaptier: [^\n]+\n$/);
      expect(r.stderr, ctx).toContain('repository config');
      expect(r.stderr, ctx).toContain(repo);
    }
  });
});

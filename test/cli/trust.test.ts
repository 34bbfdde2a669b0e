// Never a wrong backup in silence: wrong change hints are caught and corrected, the base a hint
// is relative to can be stated, streams go in and out, nothing is overwritten or stored empty by
// accident. Every case runs the real binary on a local repository with generated images.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, run, runJson, tempDir } from '../helpers/cli.js';
import { sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { listObjects } from '../helpers/repo-files.js';

const MiB = 1 << 20;
const SIZE = 8 * MiB;
let tmp: { path: string; cleanup: () => Promise<void> };
const p = (name: string) => join(tmp.path, name);

beforeAll(async () => {
  tmp = await tempDir('snaptier-trust-');
});
afterAll(async () => {
  await tmp.cleanup();
});

/** Overwrites `length` bytes at `offset` with seeded random data. */
async function scribble(path: string, offset: number, length: number, seed: number): Promise<void> {
  const fh = await import('node:fs/promises').then((m) => m.open(path, 'r+'));
  try {
    await fh.write(new Rng(seed).bytes(length), 0, length, offset);
  } finally {
    await fh.close();
  }
}

async function init(name: string): Promise<string> {
  const repo = p(name);
  const r = await run(['init', '--repo', repo]);
  expect(r.code, r.stderr).toBe(0);
  return repo;
}

async function restoresTo(repo: string, volume: string, snapshot: string, image: string): Promise<void> {
  const target = p(`restore-${snapshot}-${Math.random().toString(36).slice(2)}`);
  const r = await run(['restore', '--repo', repo, '--volume', volume, '--snapshot', snapshot, '--target', target]);
  expect(r.code, r.stderr).toBe(0);
  expect(await sha256File(target)).toBe(await sha256File(image));
}

/** Runs the binary with stdin from a file and stdout into a file (binary-safe). */
function runPiped(args: string[], stdinFile: string | null, stdoutFile: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SNAPTIER_PASSWORD: 'test-password' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.pipe(createWriteStream(stdoutFile));
    child.stdin.on('error', () => {}); // a child that refuses its input closes the pipe early
    if (stdinFile) createReadStream(stdinFile).pipe(child.stdin);
    else child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('wrong previous sources', () => {
  // mon -> tue changes A; tue -> thu changes B. The repository holds mon and thu (latest).
  let repo: string;
  let mon: string;
  let tue: string;
  let thu: string;
  let unrelated: string;
  beforeAll(async () => {
    repo = await init('prev-repo');
    [mon, tue, thu, unrelated] = [p('mon.img'), p('tue.img'), p('thu.img'), p('unrelated.img')];
    await writeImage(mon, SIZE, 1);
    await copyFile(mon, tue);
    // A: two 256 KiB pieces, in the 1 MiB segments 1 and 3. The sample is random; with A in two
    // segments, every draw of 256 blocks the hint calls unchanged includes A's segments or B's
    // (the segments outside A and B hold only 192 such blocks), so both cases below are caught
    // whatever is drawn. With A in one segment, 1 draw in 70 missed it.
    await scribble(tue, 1 * MiB, 256 * 1024, 2);
    await scribble(tue, 3 * MiB, 256 * 1024, 4);
    await copyFile(tue, thu);
    await scribble(thu, 4 * MiB, 3 * MiB, 3); // B: most of the second half
    await writeImage(unrelated, SIZE, 99);
    for (const img of [mon, thu]) expect((await run(['backup', '--repo', repo, '--volume', 'db', '--source', img])).code).toBe(0);
  });

  it('an older previous source than the base is found by the sample, and the backup falls back to fingerprints', async () => {
    const r = await run(['backup', '--repo', repo, '--volume', 'db', '--source', tue, '--previous-source', mon, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.hints.mode).toBe('sample');
    expect(doc.hints.sampled).toBeGreaterThanOrEqual(256);
    expect(doc.hints.mismatched).toBeGreaterThan(0);
    expect(doc.hints.fellBack).toBe(true);
    expect(doc.mode).toBe('fingerprints');
    expect(r.stderr).toMatch(/warning: the previous source .*mon\.img is not relative to snapshot [0-9a-f]{8}/);
    await restoresTo(repo, 'db', doc.snapshot, tue);
  });

  it('a newer previous source than the base is caught the same way', async () => {
    // The base is mon (stated); the previous source is thu, newer: blocks of A look unchanged.
    const monId = (await runJson<any[]>(['snapshots', '--repo', repo, '--volume', 'db']))[0].id;
    const doc = await runJson(['backup', '--repo', repo, '--volume', 'db', '--source', tue, '--previous-source', thu, '--base', monId]);
    expect(doc.parent).toBe(monId);
    // A lies in 512 KiB of 8 MiB (6% of the blocks), in two of the five segments the hint calls
    // unchanged: a sample of at least 256 blocks cannot avoid both.
    expect(doc.hints.fellBack).toBe(true);
    await restoresTo(repo, 'db', doc.snapshot, tue);
  });

  it('an unrelated previous source of the same size still gives a correct snapshot', async () => {
    const doc = await runJson(['backup', '--repo', repo, '--volume', 'db', '--source', tue, '--previous-source', unrelated]);
    await restoresTo(repo, 'db', doc.snapshot, tue);
  });

  it('with --verify-hints off a wrong hint is trusted, yet the snapshot restores (its leaves agree with their data)', async () => {
    const doc = await runJson(['backup', '--repo', repo, '--volume', 'db', '--source', tue, '--previous-source', thu, '--verify-hints', 'off']);
    expect(doc.hints).toEqual({ mode: 'off', sampled: 0, mismatched: 0, fellBack: false });
    const target = p('off-restore');
    const r = await run(['restore', '--repo', repo, '--volume', 'db', '--snapshot', doc.snapshot, '--target', target]);
    expect(r.code, r.stderr).toBe(0);
    const check = await runJson(['check', '--repo', repo, '--read-data']);
    expect(check).toMatchObject({ ok: true, errors: [] });
  });

  it('a hint wrong inside one fingerprint block still gives a snapshot that restores bit-exact', async () => {
    // In the 16 KiB block at 5 MiB: tue changes blocks 0 and 1 from mon; the previous source has
    // tue's block 0 but mon's block 1. The hint calls block 0 unchanged (it equals the previous
    // source) although the base (mon) differs there: the block must be stored whole.
    const r2 = p('r2-repo');
    await run(['init', '--repo', r2]);
    const m = p('fp-mon.img');
    const t = p('fp-tue.img');
    const prev = p('fp-prev.img');
    await writeImage(m, SIZE, 61);
    const base = (await runJson(['backup', '--repo', r2, '--volume', 'fp', '--source', m])).snapshot;
    await copyFile(m, t);
    await scribble(t, 5 * MiB, 8192, 62);
    await copyFile(m, prev);
    const fh = await import('node:fs/promises').then((x) => x.open(prev, 'r+'));
    const block0 = Buffer.alloc(4096);
    const src = await import('node:fs/promises').then((x) => x.open(t, 'r'));
    await src.read(block0, 0, 4096, 5 * MiB);
    await src.close();
    await fh.write(block0, 0, 4096, 5 * MiB);
    await fh.close();
    const doc = await runJson(['backup', '--repo', r2, '--volume', 'fp', '--source', t, '--previous-source', prev, '--base', base]);
    await restoresTo(r2, 'fp', doc.snapshot, t);
    expect(await runJson(['check', '--repo', r2, '--read-data'])).toMatchObject({ ok: true });
  });

  it('a previous source of another size is refused: exit 2, nothing committed', async () => {
    const short = p('short.img');
    await writeImage(short, SIZE - MiB, 5);
    const before = await runJson<any[]>(['snapshots', '--repo', repo, '--volume', 'db']);
    const r = await run(['backup', '--repo', repo, '--volume', 'db', '--source', tue, '--previous-source', short]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not that snapshot/);
    expect(await runJson<any[]>(['snapshots', '--repo', repo, '--volume', 'db'])).toEqual(before);
  });
});

describe('wrong change lists', () => {
  let repo: string;
  let v1: string;
  let v2: string;
  beforeAll(async () => {
    repo = await init('extents-repo');
    [v1, v2] = [p('ext-v1.img'), p('ext-v2.img')];
    await writeImage(v1, SIZE, 11);
    expect((await run(['backup', '--repo', repo, '--volume', 'vol', '--source', v1])).code).toBe(0);
    await copyFile(v1, v2);
    await scribble(v2, 100 * 4096, 4096, 12); // one block, listed
    await scribble(v2, 2 * MiB, 2 * MiB, 13); // a large region, listed only in the "correct" list
    await scribble(v2, 6 * MiB + 5 * 4096, 4096, 14); // one more block
  });

  it('a list missing a large region is caught by the default sample and corrected', async () => {
    const list = p('missing-region.json');
    await writeFile(list, JSON.stringify([{ offset: 100 * 4096, length: 4096 }, { offset: 6 * MiB + 5 * 4096, length: 4096 }]));
    const doc = await runJson(['backup', '--repo', repo, '--volume', 'vol', '--source', v2, '--changed-extents', list]);
    expect(doc.hints).toMatchObject({ mode: 'sample', fellBack: true });
    expect(doc.hints.mismatched).toBeGreaterThan(0);
    await restoresTo(repo, 'vol', doc.snapshot, v2);
  });

  it('a list missing one 4 KiB block is caught by --verify-hints full', async () => {
    const list = p('missing-block.json');
    await writeFile(list, JSON.stringify([{ offset: 100 * 4096, length: 4096 }, { offset: 2 * MiB, length: 2 * MiB }]));
    const base = (await runJson<any[]>(['snapshots', '--repo', repo, '--volume', 'vol']))[0].id;
    const doc = await runJson(['backup', '--repo', repo, '--volume', 'vol', '--source', v2, '--changed-extents', list, '--base', base, '--verify-hints', 'full']);
    expect(doc.parent).toBe(base);
    expect(doc.hints).toEqual({ mode: 'full', sampled: expect.any(Number), mismatched: 1, fellBack: true });
    // Every block outside the list was read: the volume less the 2 MiB + 4 KiB listed, in 16 KiB blocks.
    expect(doc.hints.sampled).toBe((SIZE - 2 * MiB - 16384) / 16384);
    await restoresTo(repo, 'vol', doc.snapshot, v2);
  });

  it('a correct list passes the sample and is used', async () => {
    const list = p('correct.json');
    await writeFile(
      list,
      JSON.stringify([
        { offset: 100 * 4096, length: 4096 },
        { offset: 2 * MiB, length: 2 * MiB },
        { offset: 6 * MiB + 5 * 4096, length: 4096 },
      ]),
    );
    const base = (await runJson<any[]>(['snapshots', '--repo', repo, '--volume', 'vol']))[0].id;
    const doc = await runJson(['backup', '--repo', repo, '--volume', 'vol', '--source', v2, '--changed-extents', list, '--base', base]);
    expect(doc.hints).toMatchObject({ mode: 'sample', mismatched: 0, fellBack: false });
    expect(doc.mode).toBe('changed-extents');
    expect(doc.bytesRead).toBeLessThan(3 * MiB); // the listed blocks, not the volume
    await restoresTo(repo, 'vol', doc.snapshot, v2);
    expect(await runJson(['check', '--repo', repo, '--read-data'])).toMatchObject({ ok: true });
  });
});

describe('a stated base', () => {
  let repo: string;
  const imgs: string[] = [];
  const ids: string[] = [];
  beforeAll(async () => {
    repo = await init('base-repo');
    for (let i = 0; i < 3; i++) {
      const img = p(`base-${i}.img`);
      if (i === 0) await writeImage(img, SIZE, 21);
      else {
        await copyFile(imgs[i - 1]!, img);
        await scribble(img, i * MiB, 256 * 1024, 21 + i);
      }
      imgs.push(img);
      ids.push((await runJson(['backup', '--repo', repo, '--volume', 'vm', '--source', img, '--source-id', `pool/vm@s${i + 1}`])).snapshot);
    }
  });

  it('records --source-id and shows it in snapshots', async () => {
    const list = await runJson<any[]>(['snapshots', '--repo', repo, '--volume', 'vm']);
    expect(list.map((s) => s.sourceId)).toEqual(['pool/vm@s1', 'pool/vm@s2', 'pool/vm@s3']);
  });

  it('a change list relative to a non-latest snapshot, named by its source id, makes that snapshot the parent', async () => {
    // s4 = s1 + a change; the list names only that change, relative to s1 (not to s3, the latest).
    const s4 = p('base-s4.img');
    await copyFile(imgs[0]!, s4);
    await scribble(s4, 7 * MiB, 64 * 1024, 40);
    const list = p('s1-to-s4.json');
    await writeFile(list, JSON.stringify([{ offset: 7 * MiB, length: 64 * 1024 }]));
    const doc = await runJson(['backup', '--repo', repo, '--volume', 'vm', '--source', s4, '--changed-extents', list, '--base', 'pool/vm@s1', '--source-id', 'pool/vm@s4']);
    expect(doc.parent).toBe(ids[0]);
    expect(doc.base).toBe(ids[0]);
    expect(doc.hints).toMatchObject({ fellBack: false });
    await restoresTo(repo, 'vm', doc.snapshot, s4);
  });

  it('an unknown base exits 2 and writes nothing', async () => {
    const before = await listObjects(repo);
    for (const base of ['pool/vm@s9', 'ffffffff']) {
      const r = await run(['backup', '--repo', repo, '--volume', 'vm', '--source', imgs[2]!, '--base', base]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--base ${base}`);
    }
    expect([...(await listObjects(repo)).keys()].sort()).toEqual([...before.keys()].sort());
  });
});

describe('streams', () => {
  let repo: string;
  let img: string;
  let img2: string;
  beforeAll(async () => {
    repo = await init('stream-repo');
    img = p('stream.img');
    img2 = p('stream2.img');
    await writeImage(img, SIZE + 12345, 31); // not a multiple of any block size
    await copyFile(img, img2);
    await scribble(img2, 3 * MiB, 300 * 1024, 32);
  });

  it('--source - reads stdin to its end, first and incremental backups, bit-exact through restore --target -', async () => {
    const out1 = p('stream-out1.json');
    const r1 = await runPiped(['backup', '--repo', repo, '--volume', 's', '--source', '-', '--json'], img, out1);
    expect(r1.code, r1.stderr).toBe(0);
    const d1 = JSON.parse(await readFile(out1, 'utf8'));
    expect(d1.size).toBe(SIZE + 12345);
    // A shell pipe into /dev/stdin, as `cat disk.img | snaptier backup --source /dev/stdin` does.
    const out2 = p('stream-out2.json');
    const sh = `cat '${img2}' | '${process.execPath}' '${BIN}' backup --repo '${repo}' --volume s --source /dev/stdin --json > '${out2}'`;
    const r2 = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', sh], { env: { ...process.env, SNAPTIER_PASSWORD: 'test-password' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r2.code, r2.stderr).toBe(0);
    const d2 = JSON.parse(await readFile(out2, 'utf8'));
    expect(d2.parent).toBe(d1.snapshot);
    expect(d2.bytesChanged).toBeLessThan(1 * MiB);
    for (const [d, image] of [
      [d1, img],
      [d2, img2],
    ] as const) {
      const target = p(`stream-restore-${d.snapshot}`);
      const r = await runPiped(['restore', '--repo', repo, '--volume', 's', '--snapshot', d.snapshot, '--target', '-', '--json'], null, target);
      expect(r.code, r.stderr).toBe(0);
      expect(await sha256File(target)).toBe(await sha256File(image));
      // stdout carried the volume; the report went to stderr.
      expect(JSON.parse(r.stderr.trim().split('\n').pop()!)).toMatchObject({ snapshot: d.snapshot, bytesWritten: (await stat(image)).size });
    }
  });

  it('a change list with a stream is checked against every fingerprint', async () => {
    const list = p('stream-list.json');
    await writeFile(list, JSON.stringify([{ offset: 3 * MiB, length: 100 * 1024 }])); // misses 200 KiB of the change
    const out = p('stream-out3.json');
    const r = await runPiped(['backup', '--repo', repo, '--volume', 's2', '--source', '-', '--json'], img, out);
    expect(r.code, r.stderr).toBe(0);
    const r2 = await runPiped(['backup', '--repo', repo, '--volume', 's2', '--source', '-', '--changed-extents', list, '--json'], img2, out);
    expect(r2.code, r2.stderr).toBe(0);
    const d = JSON.parse(await readFile(out, 'utf8'));
    expect(d.hints).toMatchObject({ mode: 'full', fellBack: true });
    expect(d.hints.mismatched).toBeGreaterThan(0);
    await restoresTo(repo, 's2', d.snapshot, img2);
  });
});

describe('no accidents', () => {
  let repo: string;
  let img: string;
  let snapshot: string;
  beforeAll(async () => {
    repo = await init('accident-repo');
    img = p('acc.img');
    await writeImage(img, SIZE, 51);
    snapshot = (await runJson(['backup', '--repo', repo, '--volume', 'a', '--source', img])).snapshot;
  });

  it('an empty source is refused (exit 2, nothing listed) unless --allow-empty', async () => {
    const empty = p('empty.img');
    await writeFile(empty, '');
    for (const source of [empty, '/dev/null']) {
      const r = await run(['backup', '--repo', repo, '--volume', 'e', '--source', source]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is empty \(0 bytes\)/);
    }
    const piped = await runPiped(['backup', '--repo', repo, '--volume', 'e', '--source', '-'], null, p('empty-out'));
    expect(piped.code).toBe(2);
    expect((await run(['snapshots', '--repo', repo, '--volume', 'e'])).code).toBe(2); // no such volume
    const ok = await runJson(['backup', '--repo', repo, '--volume', 'e', '--source', empty, '--allow-empty']);
    expect(ok.size).toBe(0);
  });

  it('restore refuses an existing non-empty file unless --overwrite, and leaves it untouched', async () => {
    const precious = p('precious.txt');
    await writeFile(precious, 'do not lose me\n');
    const r = await run(['restore', '--repo', repo, '--volume', 'a', '--snapshot', snapshot, '--target', precious]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists and holds 15 bytes: not replaced \(--overwrite replaces it\)/);
    expect(await readFile(precious, 'utf8')).toBe('do not lose me\n');
    const ok = await run(['restore', '--repo', repo, '--volume', 'a', '--snapshot', snapshot, '--target', precious, '--overwrite']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await sha256File(precious)).toBe(await sha256File(img));
  });

  it('a failed restore leaves no whole-looking file: the target is renamed .partial', async () => {
    const damaged = p('damaged-repo');
    await run(['init', '--repo', damaged]);
    const doc = await runJson(['backup', '--repo', damaged, '--volume', 'a', '--source', img]);
    // Flip one byte in the middle of every data pack.
    for (const [key, size] of await listObjects(damaged)) {
      if (!key.startsWith('data/')) continue;
      const fh = await import('node:fs/promises').then((m) => m.open(join(damaged, key), 'r+'));
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, Math.floor(size / 2));
      b[0] = b[0]! ^ 0xff;
      await fh.write(b, 0, 1, Math.floor(size / 2));
      await fh.close();
    }
    const target = p('fails.img');
    const r = await run(['restore', '--repo', damaged, '--volume', 'a', '--snapshot', doc.snapshot, '--target', target]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`renamed ${target}.partial`);
    await expect(stat(target)).rejects.toThrow();
    expect((await stat(`${target}.partial`)).isFile()).toBe(true);
  });
});

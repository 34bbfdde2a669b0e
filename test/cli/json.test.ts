// `--json` (CLI.md, "JSON output"): every implemented command prints exactly one JSON document
// on stdout with the listed fields and types, figures that match the data (sizes, bytes sent,
// objects written), and nothing at all on stderr, not even a progress line on a terminal.
import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunResult, run, tempDir } from '../helpers/cli.js';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/cli-expect.js';
import { type ChangeRecord, mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { listObjects } from '../helpers/repo-files.js';

const MiB = 1024 * 1024;
const HEX32 = /^[0-9a-f]{32}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The one JSON document of a run: stdout is exactly one line of JSON, stderr is empty. */
function doc(r: RunResult, what: string): any {
  const ctx = `${what}: exit ${r.code}, stderr ${JSON.stringify(r.stderr)}`;
  expect(r.code, ctx).toBe(0);
  expect(r.stderr, ctx).toBe('');
  expect(r.stdout, ctx).toMatch(/^[^\n]+\n$/);
  return JSON.parse(r.stdout);
}

interface Step {
  image: string;
  sha: string;
  size: number;
  time: string;
  labels: Record<string, string>;
  changes: ChangeRecord[];
  backup: any;
  written: Map<string, number>;
}

describe('--json output', () => {
  const seed = 7;
  let tmp: { path: string; cleanup: () => Promise<void> };
  let repo: string;
  let initDoc: any;
  const steps: Step[] = [];
  const at = (n: number) => steps[n]!;

  beforeAll(async () => {
    tmp = await tempDir('snaptier-json-');
    repo = join(tmp.path, 'repo');
    initDoc = doc(await run(['init', '--repo', repo, '--json']), 'init');
    const rng = new Rng(seed);
    const live = join(tmp.path, 'live');
    await writeImage(live, 3 * MiB + 5000, seed);
    // Three backups of one volume, each after a change: full, fingerprints, changed extents.
    const plan = [
      { time: '2025-03-01T10:00:00.000Z', labels: { env: 'prod', tier: 'gold' }, mutation: null },
      { time: '2025-03-02T10:00:00.000Z', labels: {}, mutation: 'contiguous' as const },
      { time: '2025-03-03T10:00:00.000Z', labels: { note: 'a=b c' }, mutation: 'grow' as const },
    ];
    for (const [i, p] of plan.entries()) {
      const changes = p.mutation ? await mutate(live, p.mutation, rng) : [];
      const image = join(tmp.path, `image-${i}`);
      await copyFile(live, image);
      const extents = join(tmp.path, `extents-${i}.json`);
      await writeFile(extents, JSON.stringify(changes));
      const before = await listObjects(repo);
      const args = ['backup', '--repo', repo, '--volume', 'db01', '--source', image, '--time', p.time, '--json'];
      for (const [k, v] of Object.entries(p.labels)) args.push('--label', `${k}=${v}`);
      if (i === 2) args.push('--changed-extents', extents);
      const backup = doc(await run(args), `backup ${i}`);
      const after = await listObjects(repo);
      const written = new Map([...after].filter(([k]) => !before.has(k)));
      steps.push({ image, sha: await sha256File(image), size: (await stat(image)).size, time: p.time, labels: p.labels, changes, backup, written });
    }
  });
  afterAll(async () => tmp?.cleanup());

  it('init: the repository id, encryption and compression', async () => {
    // A local init: a create-once config, and a check that nothing is there yet.
    expect(initDoc).toEqual({ repository: repo, id: expect.stringMatching(HEX32), encrypted: true, compression: 'zstd', dataTier: null, requests: expect.any(Number), retries: 0 });
    expect(initDoc.requests).toBeGreaterThanOrEqual(1);
    const plain = join(tmp.path, 'plain');
    const other = doc(await run(['init', '--repo', plain, '--no-encryption', '--compression', 'lz4', '--json']), 'init --no-encryption');
    expect(other).toEqual({ repository: plain, id: expect.stringMatching(HEX32), encrypted: false, compression: 'lz4', dataTier: null, requests: expect.any(Number), retries: 0 });
    expect(other.id).not.toBe(initDoc.id);
  });

  it('backup: ids, parent chain, time, sizes and the bytes and objects really written', () => {
    for (const [i, s] of steps.entries()) {
      const b = s.backup;
      expect(b.snapshot).toMatch(HEX32);
      expect(b.volume).toBe('db01');
      expect(b.parent).toBe(i === 0 ? null : at(i - 1).backup.snapshot);
      expect(b.time).toMatch(ISO);
      expect(b.time).toBe(s.time);
      expect(b.size).toBe(s.size);
      for (const k of ['bytesRead', 'bytesChanged', 'bytesUploaded', 'objectsUploaded', 'durationMs', 'segmentsRewritten']) {
        expect(Number.isSafeInteger(b[k]) && b[k] >= 0, `${k} = ${b[k]}`).toBe(true);
      }
      // Nothing here is fragmented enough to be stored whole (16 chunks per segment by default).
      expect(b.segmentsRewritten).toBe(0);
      expect(b.bytesUploaded).toBeGreaterThan(0);
      expect(b.objectsUploaded).toBeGreaterThanOrEqual(1);
      // Every byte and object sent to the store, metadata included: exactly the new files.
      expect(b.objectsUploaded).toBe(s.written.size);
      expect(b.bytesUploaded).toBe([...s.written.values()].reduce((x, y) => x + y, 0));
      expect([...s.written.keys()].filter((k) => k.startsWith('snapshots/'))).toEqual([expect.stringMatching(new RegExp(`/${b.snapshot}$`))]);
    }
    // The first backup reads and changes everything; the next ones change about what was mutated.
    expect(at(0).backup).toMatchObject({ bytesRead: at(0).size, bytesChanged: at(0).size });
    expect(at(1).backup.bytesRead).toBe(at(1).size);
    for (const i of [1, 2]) {
      const mutated = at(i).changes.reduce((n, c) => n + c.length, 0);
      expect(at(i).backup.bytesChanged).toBeGreaterThan(0);
      expect(at(i).backup.bytesChanged).toBeLessThanOrEqual(mutated + 2 * 16384 * at(i).changes.length);
    }
  });

  it('backup --rewrite-at: segments stored whole are counted, the snapshot restores, and a bad value is exit 2', async () => {
    // A repository of its own: the others' listings are of this suite's chain.
    const own = join(tmp.path, 'repo-whole');
    doc(await run(['init', '--repo', own, '--json']), 'init whole');
    doc(await run(['backup', '--repo', own, '--volume', 'whole', '--source', at(0).image, '--json']), 'backup whole 0');
    // At 1, every changed segment that held data is stored whole.
    const b = doc(await run(['backup', '--repo', own, '--volume', 'whole', '--source', at(1).image, '--rewrite-at', '1', '--json']), 'backup whole 1');
    expect(b.segmentsRewritten).toBeGreaterThan(0);
    const touched = new Set(at(1).changes.flatMap((c) => Array.from({ length: Math.floor((c.offset + c.length - 1) / MiB) - Math.floor(c.offset / MiB) + 1 }, (_, k) => Math.floor(c.offset / MiB) + k)));
    expect(b.segmentsRewritten).toBeLessThanOrEqual(touched.size);
    const target = join(tmp.path, 'whole-1');
    doc(await run(['restore', '--repo', own, '--volume', 'whole', '--snapshot', b.snapshot, '--target', target, '--json']), 'restore whole 1');
    expect(await sha256File(target)).toBe(at(1).sha);
    const bad = await run(['backup', '--repo', own, '--volume', 'whole', '--source', at(1).image, '--rewrite-at', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--rewrite-at many: expected a whole number/);
  });

  it('backup without --time records the current time', async () => {
    const t0 = Date.now();
    const b = doc(await run(['backup', '--repo', repo, '--volume', 'other', '--source', at(0).image, '--json']), 'backup other');
    const t1 = Date.now();
    expect(b.time).toMatch(ISO);
    expect(Date.parse(b.time)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Date.parse(b.time)).toBeLessThanOrEqual(t1 + 1000);
    expect(b.parent).toBeNull();
    expect(b.volume).toBe('other');
  });

  it('snapshots: the chain oldest first, with parents, times, sizes and labels', async () => {
    const [one, all] = await Promise.all([
      run(['snapshots', '--repo', repo, '--volume', 'db01', '--json']),
      run(['snapshots', '--repo', repo, '--json']),
    ]);
    const list = doc(one, 'snapshots --volume');
    expect(list).toEqual(
      steps.map((s) => ({ id: s.backup.snapshot, volume: 'db01', parent: s.backup.parent, time: s.time, size: s.size, labels: s.labels, sourceId: '' })),
    );
    const every = doc(all, 'snapshots');
    expect(Array.isArray(every)).toBe(true);
    expect(every.filter((s: any) => s.volume === 'db01')).toEqual(list);
    expect(every.map((s: any) => s.volume).sort()).toEqual(['db01', 'db01', 'db01', 'other']);
    const times = every.map((s: any) => Date.parse(s.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('restore: the snapshot id and bytesWritten equal to its size, bit-exact', async () => {
    const results = await Promise.all(
      steps.map((s, i) => run(['restore', '--repo', repo, '--volume', 'db01', '--snapshot', s.backup.snapshot, '--target', join(tmp.path, `out-${i}`), '--json'])),
    );
    for (const [i, r] of results.entries()) {
      const d = doc(r, `restore ${i}`);
      expect(d.snapshot).toBe(at(i).backup.snapshot);
      expect(d.bytesWritten).toBe(at(i).size);
      expect(Number.isSafeInteger(d.durationMs) && d.durationMs >= 0).toBe(true);
      expect(await sha256File(join(tmp.path, `out-${i}`))).toBe(at(i).sha);
    }
    // A byte range with --offset/--length, and `latest` by name.
    const part = doc(
      await run(['restore', '--repo', repo, '--volume', 'db01', '--snapshot', 'latest', '--target', join(tmp.path, 'part'), '--offset', '1000000', '--length', '70000', '--json']),
      'restore part',
    );
    expect(part).toMatchObject({ snapshot: at(2).backup.snapshot, bytesWritten: 70000 });
    const whole = await readFile(at(2).image);
    expect((await readFile(join(tmp.path, 'part'))).equals(whole.subarray(1000000, 1070000))).toBe(true);
  });

  it('diff: the changed ranges cover every change made between the snapshots', async () => {
    const [d01, d12, d00] = (
      await Promise.all([
        run(['diff', '--repo', repo, '--volume', 'db01', '--from', at(0).backup.snapshot, '--to', at(1).backup.snapshot, '--json']),
        run(['diff', '--repo', repo, '--volume', 'db01', '--from', at(1).backup.snapshot.slice(0, 12), '--to', 'latest', '--json']),
        run(['diff', '--repo', repo, '--volume', 'db01', '--from', at(0).backup.snapshot, '--to', at(0).backup.snapshot, '--json']),
      ])
    ).map((r, i) => doc(r, `diff ${i}`));
    expect(d00).toEqual({ from: at(0).backup.snapshot, to: at(0).backup.snapshot, changed: [], bytesChanged: 0 });
    for (const [d, i] of [[d01, 1], [d12, 2]] as const) {
      expect(d.from).toBe(at(i - 1).backup.snapshot);
      expect(d.to).toBe(at(i).backup.snapshot);
      expect(d.changed.length).toBeGreaterThan(0);
      for (const c of d.changed) expect(Number.isSafeInteger(c.offset) && Number.isSafeInteger(c.length) && c.length > 0).toBe(true);
      expect(d.bytesChanged).toBe(d.changed.reduce((n: number, c: any) => n + c.length, 0));
      for (const ch of at(i).changes) {
        const inside = d.changed.some((c: any) => c.offset <= ch.offset && ch.offset + ch.length <= c.offset + c.length);
        expect(inside, `change ${ch.offset}+${ch.length} in ${JSON.stringify(d.changed)}`).toBe(true);
      }
    }
    // Growing the image: the diff reaches its new end.
    const last = d12.changed[d12.changed.length - 1];
    expect(last.offset + last.length).toBe(at(2).size);
  });

  it('check: ok with no errors, with and without --read-data', async () => {
    const [quick, full] = await Promise.all([run(['check', '--repo', repo, '--json']), run(['check', '--repo', repo, '--read-data', '--json'])]);
    for (const [d, what] of [[doc(quick, 'check'), 'check'], [doc(full, 'check --read-data'), 'check --read-data']] as const) {
      expect(d.ok, what).toBe(true);
      expect(d.errors, what).toEqual([]);
    }
  });

  it.skipIf(!HAS_SCRIPT)('on a terminal: progress is drawn without --json and nothing at all with it', async () => {
    const out = (n: string) => join(tmp.path, n);
    const target = out('tty-restore');
    const args = ['restore', '--repo', repo, '--volume', 'db01', '--snapshot', 'latest', '--target', target];
    const [human, json, check] = await Promise.all([
      runOnTerminal(args, out('tty-human.txt')),
      runOnTerminal([...args.slice(0, -1), out('tty-restore-2'), '--json'], out('tty-json.txt')),
      runOnTerminal(['check', '--repo', repo, '--read-data', '--json'], out('tty-check.txt')),
    ]);
    // The control run: on a terminal, restore draws its progress line on stderr.
    expect(human.code).toBe(0);
    expect(human.terminal.length).toBeGreaterThan(0);
    expect(json).toEqual({ code: 0, terminal: '' });
    expect(JSON.parse(await readFile(out('tty-json.txt'), 'utf8'))).toMatchObject({ snapshot: at(2).backup.snapshot, bytesWritten: at(2).size });
    expect(check).toEqual({ code: 0, terminal: '' });
    expect(JSON.parse(await readFile(out('tty-check.txt'), 'utf8'))).toMatchObject({ ok: true, errors: [] });
  });
});

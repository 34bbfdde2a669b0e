// forget keeps exactly what restic keeps: two years of snapshots at irregular times, the same
// timestamps in a restic repository, and `forget --dry-run --json` of both compared policy by
// policy. Holds then override the policy. Our snapshots are made through the library API
// (fast); forget runs through the real CLI.
import { execFile, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codec, LocalStore, Repository, backupVolume, listSnapshots } from '../../src/index.js';
import { forget } from '../../src/repo/forget.js';
import { placeHold } from '../../src/repo/holds.js';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { Rng } from '../helpers/random.js';

const exec = promisify(execFile);
const PASSWORD = 'test-password';

function hasRestic(): boolean {
  try {
    execFileSync('restic', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const RESTIC = hasRestic();
if (!RESTIC) console.warn('restic is not installed: the comparison with restic forget is skipped (the policy tests still run)');

/** Irregular times over 2020-2021: clusters in one hour and one day, the 2020/2021 ISO week 53, random days. */
function timestamps(): number[] {
  const fixed = [
    '2020-01-01T00:00:00Z',
    '2020-12-28T08:00:00Z',
    '2020-12-31T10:00:00Z',
    '2020-12-31T23:59:59Z',
    '2021-01-01T00:00:01Z',
    '2021-01-03T12:00:00Z',
    '2021-01-04T00:30:00Z',
    '2021-06-15T10:05:00Z',
    '2021-06-15T10:40:00Z',
    '2021-06-15T11:02:00Z',
    '2021-12-31T22:10:00Z',
    '2021-12-31T22:50:00Z',
    '2021-12-31T23:30:00Z',
  ].map(Date.parse);
  const rng = new Rng(20260101);
  const from = Date.parse('2020-01-01T00:00:00Z');
  const span = Date.parse('2021-12-31T00:00:00Z') - from;
  const out = new Set(fixed);
  while (out.size < 44) out.add(from + Math.floor((rng.next() * span) / 1000) * 1000);
  return [...out].sort((a, b) => a - b);
}

const POLICIES: string[][] = [
  ['--keep-last', '5'],
  ['--keep-hourly', '6'],
  ['--keep-daily', '9'],
  ['--keep-weekly', '30'],
  ['--keep-monthly', '14', '--keep-yearly', '3'],
  ['--keep-last', '2', '--keep-daily', '3', '--keep-weekly', '5', '--keep-monthly', '6', '--keep-yearly', '9'],
];

interface Decision {
  keep: string[];
  remove: string[];
}
interface ResticGroup {
  keep: Array<{ time: string }>;
  remove: Array<{ time: string }> | null;
}

describe('forget policy', () => {
  const decisions = new Map<string, { mine: Decision; restic: ResticGroup[] }>();
  let dir: { path: string; cleanup: () => Promise<void> };
  let repoPath: string;
  let resticRepo: string;
  const times = timestamps();
  const idTime = new Map<string, string>();
  const resticEnv = () => ({ ...process.env, TZ: 'UTC', RESTIC_PASSWORD: 'pw', RESTIC_REPOSITORY: resticRepo, RESTIC_CACHE_DIR: join(dir.path, 'restic-cache') });

  beforeAll(async () => {
    dir = await tempDir('snaptier-forget-');
    repoPath = join(dir.path, 'repo');
    resticRepo = join(dir.path, 'restic');
    const image = join(dir.path, 'img');
    await writeFile(image, new Rng(7).bytes(20_000));
    const ours = (async () => {
      const repo = await Repository.init(new LocalStore(repoPath), { password: PASSWORD, compression: Codec.Zstd, kdfLog2N: 10 });
      for (const ms of times) {
        const r = await backupVolume(repo, { volume: 'vol', source: image, time: new Date(ms) });
        idTime.set(r.manifest.id.toString('hex'), new Date(ms).toISOString());
      }
      // A second volume: the policy applies per volume.
      await backupVolume(repo, { volume: 'other', source: image, time: new Date('2019-05-05T05:05:05Z') });
    })();
    const theirs = (async () => {
      if (!RESTIC) return;
      await exec('restic', ['init', '-q'], { env: resticEnv() });
      // Backups take a shared lease, so several run at once (each spends ~0.5 s in its KDF).
      for (let i = 0; i < times.length; i += 8) {
        await Promise.all(
          times.slice(i, i + 8).map((ms) => {
            const s = new Date(ms).toISOString();
            return exec('restic', ['backup', '-q', '--host', 'h', '--time', `${s.slice(0, 10)} ${s.slice(11, 19)}`, image], { env: resticEnv() });
          }),
        );
      }
    })();
    await Promise.all([ours, theirs]);
    if (!RESTIC) return;
    // Dry runs change nothing, so restic's may run side by side without its exclusive lock.
    await Promise.all(
      POLICIES.map(async (policy) => {
        const [mine, { stdout }] = await Promise.all([
          runJson<Decision>(['forget', '--repo', repoPath, '--volume', 'vol', ...policy, '--dry-run']),
          exec('restic', ['--no-lock', 'forget', '--dry-run', '--json', ...policy], { env: resticEnv() }),
        ]);
        decisions.set(policy.join(' '), { mine, restic: JSON.parse(stdout) as ResticGroup[] });
      }),
    );
    // 44 restic backups (each ~0.35 s of KDF) beside the Ceph suites in the other fork.
  }, 300_000);
  afterAll(() => dir?.cleanup());

  it.skipIf(!RESTIC).each(POLICIES.map((p) => p.join(' ')))('keeps what restic keeps: %s', (name) => {
    const { mine, restic: groups } = decisions.get(name)!;
    expect(groups).toHaveLength(1);
    const restic = (xs: Array<{ time: string }> | null) => (xs ?? []).map((s) => new Date(s.time).toISOString()).sort();
    const ours = (ids: string[]) => ids.map((id) => idTime.get(id)!).sort();
    expect(ours(mine.keep)).toEqual(restic(groups[0]!.keep));
    expect(ours(mine.remove)).toEqual(restic(groups[0]!.remove));
    expect(mine.keep.length + mine.remove.length).toBe(times.length);
    expect(mine.remove.length).toBeGreaterThan(0);
  });

  it('applies the policy to each volume on its own and refuses to forget without a rule', async () => {
    const all = await runJson<{ keep: string[]; volumes: Array<{ volume: string; keep: unknown[]; remove: unknown[] }> }>([
      'forget', '--repo', repoPath, '--keep-last', '1', '--dry-run',
    ]);
    expect(all.volumes.map((v) => [v.volume, v.keep.length, v.remove.length])).toEqual([
      ['other', 1, 0],
      ['vol', 1, times.length - 1],
    ]);
    const none = await run(['forget', '--repo', repoPath, '--json']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--keep-\*/);
    expect((await run(['forget', '--repo', repoPath, '--keep-daily', '0'])).code).toBe(2);
    expect((await run(['forget', '--repo', repoPath, '--volume', 'nosuch', '--keep-last', '1'])).code).toBe(2);
  });

  it('keeps held snapshots while the hold is in force, and only then', async () => {
    const repo = await Repository.open(new LocalStore(repoPath), async () => PASSWORD);
    const snaps = (await listSnapshots(repo, 'vol')).map((s) => s.manifest.id.toString('hex'));
    const [oldest, second, third] = snaps as [string, string, string];
    // In force (CLI) and expired (placed through the library with an injected clock).
    const held = await runJson(['hold', '--repo', repoPath, '--volume', 'vol', '--snapshot', oldest.slice(0, 10), '--until', '2099-01-01', '--reason', 'legal case 7']);
    expect(held).toMatchObject({ snapshot: oldest, until: '2099-01-01T00:00:00.000Z', reason: 'legal case 7' });
    await placeHold(repo, { volume: 'vol', snapshot: second, untilMs: Date.parse('2022-01-01T00:00:00Z'), nowMs: Date.parse('2021-01-01T00:00:00Z') });

    const r = await runJson<{ keep: string[]; remove: string[]; held: Array<{ id: string; until: string; reason: string; keptByHoldOnly: boolean }> }>([
      'forget', '--repo', repoPath, '--volume', 'vol', '--keep-last', '3', '--dry-run',
    ]);
    expect(r.keep).toHaveLength(4);
    expect(r.keep).toContain(oldest);
    expect(r.remove).toContain(second);
    expect(r.held).toEqual([{ id: oldest, volume: 'vol', until: '2099-01-01T00:00:00.000Z', reason: 'legal case 7', keptByHoldOnly: true }]);

    // At a time when the second hold was in force, it protects its snapshot too.
    const past = await forget(repo, { volume: 'vol', policy: { last: 3 }, dryRun: true, nowMs: Date.parse('2021-06-01T00:00:00Z') });
    expect(past.keep).toEqual(expect.arrayContaining([oldest, second]));
    expect(past.remove).toContain(third);

    // Released, the first snapshot is the policy's again.
    const released = await runJson<{ released: unknown[] }>(['hold', '--repo', repoPath, '--volume', 'vol', '--snapshot', oldest, '--release']);
    expect(released.released).toHaveLength(1);
    const after = await runJson<{ keep: string[]; held: unknown[] }>(['forget', '--repo', repoPath, '--volume', 'vol', '--keep-last', '3', '--dry-run']);
    expect(after.keep).not.toContain(oldest);
    expect(after.held).toEqual([]);
    expect((await run(['hold', '--repo', repoPath, '--volume', 'vol', '--snapshot', oldest, '--until', '2001-01-01'])).code).toBe(2);
  });
});

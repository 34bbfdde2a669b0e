// Repository leases as scripts see them: prune and forget --prune refused with exit 4 and one
// line naming who holds the lease and since when, backups going on beside it, check warning
// about stale leases, unlock removing them (and with --all every lease), and a backup that gets
// SIGTERM removing its lease while one killed with -9 leaves it to turn stale.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore, Repository, acquireLease, readLeases } from '../../src/index.js';
import { S3Store } from '../../src/store/s3/s3-store.js';
import { run, runJson, start } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/cli-expect.js';
import { startGateProxy } from '../helpers/gate-proxy.js';
import { writeImage } from '../helpers/images.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('repository leases through the CLI', () => {
  const s3 = useS3rver('snaptier-leases-cli-');

  it('prune and forget --prune exit 4 naming the holder while another prune runs; backups, dry runs and reads go on', async () => {
    const repo = join(s3.dir, 'held');
    const image = join(s3.dir, 'held.img');
    await runJson(['init', '--repo', repo]);
    await writeImage(image, 2 << 20, 1);
    await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image]);
    const lib = await Repository.open(new LocalStore(repo), async () => 'test-password');
    const other = await acquireLease(lib, { operation: 'prune', kind: 'exclusive' });
    try {
      const holder = [
        `the repository's exclusive lease is held by prune on host ${hostname()} (pid ${process.pid}) since ${iso(other.lease.startedMs)}`,
        'if that process is gone, run snaptier unlock',
      ];
      expectOneLineError(await run(['prune', '--repo', repo, '--grace', '0']), 4, holder, 'prune');
      expectOneLineError(await run(['forget', '--repo', repo, '--keep-last', '1', '--prune']), 4, holder, 'forget --prune');
      expect((await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image])).snapshot).toMatch(/^[0-9a-f]{32}$/);
      expect(await runJson(['prune', '--repo', repo, '--dry-run'])).toMatchObject({ dryRun: true });
      expect(await runJson(['forget', '--repo', repo, '--keep-last', '5'])).toMatchObject({ remove: [] });
      expect(await runJson(['check', '--repo', repo])).toMatchObject({ ok: true, warnings: [] });
      // Only the in-test prune's lease is left: every command removed its own.
      expect((await readLeases(lib)).leases.map((l) => l.key)).toEqual([other.key]);
    } finally {
      await other.release();
    }
    expect(await runJson(['prune', '--repo', repo, '--grace', '0'])).toMatchObject({ objectsDeleted: 0 });
    expect(await readLeases(lib)).toEqual({ leases: [], unreadable: [], gate: null });
  });

  it('a backup given SIGTERM removes its lease; one killed with -9 leaves it, check warns and unlock removes it', async () => {
    const bucket = s3.bucket('sig');
    const url = (endpoint: string) => `s3://${bucket}/r?endpoint=${encodeURIComponent(endpoint)}&path-style=true&atomic-create=false`;
    const repo = url(s3.server.endpoint);
    const image = join(s3.dir, 'sig.img');
    await writeImage(image, 3 << 20, 2);
    await runJson(['init', '--repo', repo, '--pack-size', '1'], s3.env);
    const store = new S3Store(repo, { credentials: s3.server.credentials });
    const lib = await Repository.open(store, async () => 'test-password');
    try {
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        // The backup's first pack is held at the proxy: it has taken its lease and is mid-way.
        const gate = await startGateProxy(s3.server.endpoint, (req) => req.method === 'PUT' && /\/data\//.test(req.url ?? ''));
        try {
          const { child, ended } = start(['backup', '--repo', url(gate.endpoint), '--volume', 'v', '--source', image, '--json'], s3.env);
          const exited = ended.then((e) => e.signal);
          await gate.held;
          const during = (await readLeases(lib)).leases;
          expect(during.map((l) => l.lease)).toMatchObject([{ operation: 'backup', kind: 'shared', volume: 'v', pid: child.pid }]);
          child.kill(signal);
          expect(await exited).toBe(signal);
          const after = (await readLeases(lib)).leases;
          if (signal === 'SIGTERM') expect(after).toEqual([]);
          else expect(after.map((l) => l.key)).toEqual(during.map((l) => l.key));
        } finally {
          await gate.close();
        }
      }
      // The killed backup's process is gone from this host: its lease is stale at once.
      const check = await runJson(['check', '--repo', repo], s3.env);
      expect(check.ok).toBe(true);
      expect(check.warnings.filter((w: string) => w.startsWith('lease '))).toEqual([
        expect.stringMatching(
          /^lease locks\/[0-9a-f]{32} of backup of volume v on host .* is stale: process \d+ no longer runs on .*snaptier unlock removes it/,
        ),
      ]);
      const human = await run(['check', '--repo', repo], s3.env);
      expect(human.code).toBe(0);
      expect(human.stderr).toMatch(/^warning: lease locks\/[0-9a-f]{32} of backup .* is stale/m);

      const held = await acquireLease(lib, { operation: 'hold', kind: 'shared', volume: 'v' });
      const u = await run(['unlock', '--repo', repo], s3.env);
      expect(u.code).toBe(0);
      expect(u.stdout).toMatch(
        /^removed stale lease of backup \(shared\) of volume v on host .* \(pid \d+\) since .*: process \d+ no longer runs on /m,
      );
      expect(u.stdout).toMatch(/^kept live lease of hold \(shared\) of volume v/m);
      expect((await readLeases(lib)).leases.map((l) => l.key)).toEqual([held.key]);
      expect(await runJson(['unlock', '--repo', repo], s3.env)).toMatchObject({ removed: [], kept: [{ key: held.key }], all: false });
      const all = await run(['unlock', '--repo', repo, '--all'], s3.env);
      expect(all.stdout).toMatch(/^--all: removing every lease, live ones included\nremoved live lease of hold/);
      expect(await readLeases(lib)).toEqual({ leases: [], unreadable: [], gate: null });
      await held.release();
      const clean = await runJson(['check', '--repo', repo], s3.env);
      expect(clean.ok).toBe(true);
      expect(clean.warnings.filter((w: string) => w.startsWith('lease '))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

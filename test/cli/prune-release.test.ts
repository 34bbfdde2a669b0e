// A release (forget's record that the packs of a snapshot it removes need no grace period) is
// trusted by prune as of its time: a backup started since cannot name those packs. Two releases
// that outlive that moment, each with a backup building on a snapshot that a later forget removes
// while the backup runs (held at its manifest PUT by a gate proxy): the prune of that forget must
// keep what the backup names. The first is what a `forget` killed with SIGKILL after storing its
// release record leaves (its manifests not yet deleted); the second a release of packs a kept
// snapshot still named. Both made prune delete the backup's packs (its snapshot then failed
// `check` and restore with exit 3) until prune-records.ts took the latest of two releases of a
// pack and prune.ts dropped the release of a pack still referenced.
import type { ChildProcess } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Ended, run, start } from '../helpers/cli.js';
import { startGateProxy } from '../helpers/gate-proxy.js';
import { sha256File } from '../helpers/images.js';
import { startKillProxy } from '../helpers/kill-proxy.js';
import { Rng } from '../helpers/random.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

const MiB = 1 << 20;

/** One process of the CLI with `--json`; `started` gets the child as soon as it runs. */
function spawnCli(args: string[], env: Record<string, string>, started: (child: ChildProcess) => void = () => {}): Promise<Ended> {
  const { child, ended } = start([...args, '--json'], env);
  started(child);
  return ended;
}

describe('prune beside a backup, after releases that outlived their moment (s3rver)', () => {
  const s3 = useS3rver('snaptier-kill-forget-');
  /** For one process, the clock ten minutes back: longer than prune allows between a backup's start and its reads (LEASE.marginMs). */
  const EARLIER = { NODE_OPTIONS: '--import=data:text/javascript,const%20n=Date.now;Date.now=()=>n()-600000;' };

  it.each([
    ['a forget killed after storing its release record, before deleting a manifest', 'killed'],
    ['a forget --prune whose released packs a kept snapshot still named', 'carried'],
  ] as const)(
    '%s, ten minutes earlier, does not let a later prune delete what a running backup names',
    async (_what, leftover) => {
      const env = s3.env;
      const bucket = s3.bucket(`release-${leftover}`);
      const url = (endpoint: string) => `s3://${bucket}/r?endpoint=${encodeURIComponent(endpoint)}&path-style=true&atomic-create=false`;
      const repo = url(s3.server.endpoint);
      const cli = async (args: string[], extra: Record<string, string> = {}): Promise<any> => {
        const r = await run([...args, '--json'], { ...env, ...extra });
        expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
        return JSON.parse(r.stdout);
      };
      const listed = async (): Promise<string[]> => (await cli(['snapshots', '--repo', repo, '--volume', 'v'])).map((s: any) => s.id);
      await cli(['init', '--repo', repo, '--pack-size', '1', '--compression', 'none']);
      const image = join(s3.dir, `image-${leftover}`);
      const rng = new Rng(61);
      await writeFile(image, rng.bytes(4 * MiB));
      const rewrite = async (mib: number) => {
        const fh = await open(image, 'r+');
        await fh.write(rng.bytes(MiB), 0, MiB, mib * MiB);
        await fh.close();
        return (await cli(['backup', '--repo', repo, '--volume', 'v', '--source', image])).snapshot as string;
      };
      const ids = [(await cli(['backup', '--repo', repo, '--volume', 'v', '--source', image])).snapshot as string];
      ids.push(await rewrite(0)); // its packs hold the first MiB...
      ids.push(await rewrite(3)); // ...which this snapshot still names

      if (leftover === 'killed') {
        // forget --keep-last 1 killed once its release record is stored: no manifest deleted.
        const proxy = await startKillProxy(s3.server.endpoint);
        try {
          let child: ChildProcess | undefined;
          proxy.arm({
            request: 1,
            when: 'after',
            match: (r) => r.method === 'PUT' && r.path.includes('/r/prune/'),
            kill: () => child?.kill('SIGKILL'),
          });
          const a = await spawnCli(
            ['forget', '--repo', url(proxy.endpoint), '--keep-last', '1'],
            { ...env, ...EARLIER },
            (c) => (child = c),
          );
          expect(a.signal, a.stderr).toBe('SIGKILL');
        } finally {
          await proxy.close();
        }
        expect(await listed()).toEqual(ids);
      } else {
        const f = await cli(['forget', '--repo', repo, '--keep-last', '1', '--prune', '--grace', '0'], EARLIER);
        expect(f.remove).toEqual([ids[1], ids[0]]);
      }

      // A backup building on the newest snapshot, held before its manifest...
      const gate = await startGateProxy(s3.server.endpoint, (req) => req.method === 'PUT' && /\/r\/snapshots\//.test(req.url ?? ''));
      try {
        const fh = await open(image, 'r+');
        await fh.write(rng.bytes(MiB), 0, MiB, 2 * MiB);
        await fh.close();
        const sha = await sha256File(image);
        const held = spawnCli(['backup', '--repo', url(gate.endpoint), '--volume', 'v', '--source', image], env);
        await gate.held;
        // ...while another backup of the volume, of other data, commits, and forget removes the
        // snapshot the held one builds on.
        const other = join(s3.dir, `other-${leftover}`);
        await writeFile(other, rng.bytes(4 * MiB));
        const newer = (await cli(['backup', '--repo', repo, '--volume', 'v', '--source', other])).snapshot as string;
        const f = await cli(['forget', '--repo', repo, '--keep-last', '1', '--prune', '--grace', '0']);
        expect(f.keep).toEqual([newer]);
        expect(f.remove).toContain(ids[2]);
        gate.open();
        const b = await held;
        expect(b.code, b.stderr).toBe(0);
        const id = JSON.parse(b.stdout).snapshot as string;
        expect(await cli(['check', '--repo', repo])).toMatchObject({ ok: true, errors: [] });
        const target = join(s3.dir, `restore-${leftover}`);
        await cli(['restore', '--repo', repo, '--volume', 'v', '--snapshot', id, '--target', target, '--overwrite']);
        expect(await sha256File(target)).toBe(sha);
      } finally {
        gate.open();
        await gate.close();
      }
    },
    60_000,
  );
});

// Crash safety of prune through the real CLI (run by kill-prune-local.test.ts and
// kill-prune-s3.test.ts, two files so that the two workers of `npm test` run them side by side): `prune` and `forget --prune` are killed with
// SIGKILL at seeded moments, counted in store requests, never in time: on a local directory the
// CLI counts its own requests and kills itself at the n-th (SNAPTIER_FAULT_KILL_AT), on s3rver
// a proxy kills the CLI at its n-th request, before the request reaches the server or once it
// has answered. On s3rver the first kill of each episode is aimed at
// one step of the run and must leave that step's state, so the short steps after the repack,
// from the forwarding record to the deletions, are hit as surely as the long ones).
//
// The repository: six snapshots of a 16 MiB image whose later backups overwrite half of the
// 64 KiB regions at a 128 KiB stride and one 2 MiB run; after the fourth a completed
// `forget --keep-last 2 --prune` has already repacked once (a forwarding record exists, so the
// killed runs write a second one and delete the first, chains collapsed). Keeping the last two
// leaves packs to delete and mostly-dead packs to repack, some of them the earlier repack's.
// Each episode starts from a copy of that repository, kills a run, kills the re-run and lets a
// third finish. After each kill: the snapshots listed are the kept ones plus, after a killed
// forget, some of those it was removing; the newest restores bit-exact and so does one other
// listed snapshot; `check` passes with the leftovers (unreferenced packs, stale leases,
// temporary files) as warnings. After each finished run `check` has no warnings at all and the
// repository is smaller than before; after the last, `check --read-data` neither and every
// kept snapshot restores bit-exact.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CopyObjectCommand, CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run, start, tempDir } from '../helpers/cli.js';
import { sha256File } from '../helpers/images.js';
import { type KilledRun, type KillProxy, type ProxiedRequest, startKillProxy } from '../helpers/kill-proxy.js';
import { Rng } from '../helpers/random.js';
import { copyRepo, listObjects } from '../helpers/repo-files.js';
import { rawClient } from '../helpers/s3-bucket.js';
import { useS3rver } from '../helpers/s3rver-suite.js';

const MiB = 1 << 20;
const REGION = 64 << 10;
const IMAGE_BYTES = 16 * MiB;
const BACKUPS = 6;
/** The base repository was pruned once after this many backups. */
const PRUNED_AFTER = 4;
const KEEP = 2;
/**
 * Packs with less live data than this are repacked: above the default (50%), so that each run
 * has several packs to repack. A backup stores a segment's overwritten regions as one chunk,
 * which leaves packs of 1 MiB a few chunks each and so fewer of them below 50%.
 */
const REPACK_BELOW = '75';
const SEED = 20261214;
/** What check may report after a kill: leftovers of killed runs, never anything else. */
const LEFTOVER =
  /^(pack \S+ is not referenced by any snapshot|lease \S+ of (prune|forget) .* is stale|temporary object \S+ .* was left by an interrupted write)/;

interface Snap {
  id: string;
  sha: string;
}

interface Repo {
  /** What the checking commands use. */
  url: string;
  /** What the runs to kill use (through the kill proxy on S3). */
  killUrl: string;
}

/** When to kill: a request number, before or after that request. */
interface KillAt {
  at: number;
  when: 'before' | 'after';
}

interface Attempt extends KilledRun {
  /** Number of requests the run took. */
  scale: number;
  /** Where the kill landed, as the target can tell. */
  landed?: string;
  /** The steps of a whole run as ranges of the scale, when the target can tell them apart. */
  phases?: Phase[];
}

/** How far a killed run got, as the objects it left say (see stateOf). */
type State =
  | 'nothing written'
  | 'new packs, no forwarding record'
  | 'two forwarding records'
  | 'one forwarding record, no pack deleted'
  | 'packs deleted';

/** A range of moments of a whole run, and the state a kill there leaves. */
interface Phase {
  state: State;
  from: number;
  to: number;
  /** Kill on this side of the request (else either, by the dice). */
  when?: KillAt['when'];
}

/** Where the runs go: a local directory or an S3 bucket, and how "a moment" of a run is counted. */
interface Target {
  name: string;
  seed: number;
  dir: () => string;
  env: () => Record<string, string>;
  newRepo: (tag: string) => Repo;
  copy: (from: Repo, tag: string) => Promise<Repo>;
  objects: (repo: Repo) => Promise<Map<string, number>>;
  /**
   * Runs `args` (their --repo is `killUrl`) and kills it there; or runs it to the end, as the
   * kills will see it ('measure') or as fast as it goes ('finish').
   */
  run: (args: string[], kill: KillAt | 'measure' | 'finish') => Promise<Attempt>;
}

/** One process of the CLI with `--json`; `started` gets the child as soon as it runs. */
function spawnCli(args: string[], env: Record<string, string>, started: (child: ChildProcess) => void): Promise<Omit<Attempt, 'scale'>> {
  // Kill points are request numbers taken from a whole run: a manifest cache warmed by an earlier
  // run would shift them (fewer GETs), so every run reads manifests from the store.
  const { child, ended } = start([...args, '--json'], { ...env, SNAPTIER_CACHE: 'off' });
  started(child);
  return ended.then((e) => ({ ...e, killed: e.signal === 'SIGKILL' }));
}

export function localTarget(): Target {
  let tmp: { path: string; cleanup: () => Promise<void> } | undefined;
  beforeAll(async () => {
    tmp = await tempDir('snaptier-kill-prune-');
  });
  afterAll(() => tmp?.cleanup());
  let runs = 0;
  const at = (tag: string): Repo => {
    const path = join(tmp!.path, tag);
    return { url: path, killUrl: path };
  };
  return {
    name: 'local directory',
    seed: SEED + 1,
    dir: () => tmp!.path,
    env: () => ({}),
    newRepo: at,
    copy: async (from, tag) => {
      const to = at(tag);
      await copyRepo(from.url, to.url);
      return to;
    },
    objects: (repo) => listObjects(repo.url),
    run: async (args, kill) => {
      // Kill points are request numbers: the CLI counts its own store requests and kills itself
      // at the chosen one (SNAPTIER_FAULT_KILL_AT), logging each (SNAPTIER_FAULT_REQUEST_LOG).
      const log = join(tmp!.path, `requests-${runs++}.log`);
      const env: Record<string, string> = { SNAPTIER_FAULT_REQUEST_LOG: log };
      if (typeof kill === 'object') env.SNAPTIER_FAULT_KILL_AT = `${kill.at}:${kill.when}`;
      const a = await spawnCli(args, env, () => {});
      const requests = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      return {
        ...a,
        scale: requests.length,
        ...(a.killed && typeof kill === 'object' ? { landed: `${kill.when} #${kill.at} ${requests.at(-1)?.replace(/^\d+ /, '') ?? ''}` } : {}),
      };
    },
  };
}

/**
 * A run's requests in steps, each with the state a kill there leaves: up to the repack's first
 * pack PUT (open, lock, forget, list, mark, reads); the new packs, before the forwarding
 * record's PUT; that record stored and the older one not yet deleted (the batch delete right
 * after); the older one deleted, up to the batch delete of the packs (the prune record, if
 * there is one to write, between); from there to the end (the deletions and the unlock).
 */
function requestPhases(requests: readonly ProxiedRequest[]): Phase[] {
  const put = (prefix: string) => (r: ProxiedRequest) => r.method === 'PUT' && r.path.includes(`/r/${prefix}`);
  const batchDelete = (r: ProxiedRequest) => r.method === 'POST' && r.path.endsWith('?delete');
  const firstPack = requests.findIndex((r) => put('data/')(r) || put('tree/')(r)) + 1;
  const forward = requests.findIndex(put('forward/')) + 1;
  const packsDelete = requests.findIndex((r, i) => i > forward && batchDelete(r)) + 1;
  if (firstPack < 1 || forward <= firstPack || !batchDelete(requests[forward]!) || packsDelete <= forward + 1)
    throw new Error(`unexpected requests of a whole run: ${JSON.stringify(requests)}`);
  return [
    { state: 'nothing written', from: 1, to: firstPack - 1 },
    { state: 'new packs, no forwarding record', from: firstPack, to: forward - 1, when: 'after' },
    { state: 'two forwarding records', from: forward, to: forward, when: 'after' },
    { state: 'one forwarding record, no pack deleted', from: forward + 1, to: packsDelete - 1, when: 'after' },
    { state: 'packs deleted', from: packsDelete, to: requests.length, when: 'after' },
  ];
}

export function s3Target(): Target {
  const s3 = useS3rver('snaptier-kill-prune-s3-');
  let proxy: KillProxy | undefined;
  beforeAll(async () => {
    proxy = await startKillProxy(s3.server.endpoint);
  });
  afterAll(() => proxy?.close());
  const url = (bucket: string, endpoint: string) =>
    `s3://${bucket}/r?endpoint=${encodeURIComponent(endpoint)}&path-style=true&atomic-create=false`;
  const bucketOf = (repo: Repo) => /^s3:\/\/([^/]+)\//.exec(repo.url)![1]!;
  const keys = async (bucket: string): Promise<Map<string, number>> => {
    const client = rawClient(s3.server);
    try {
      const out = new Map<string, number>();
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: 'r/', ...(token ? { ContinuationToken: token } : {}) }),
        );
        for (const o of page.Contents ?? []) if (o.Key) out.set(o.Key.slice('r/'.length), o.Size ?? 0);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    } finally {
      client.destroy();
    }
  };
  return {
    name: 'S3 (s3rver)',
    seed: SEED + 2,
    dir: () => s3.dir,
    env: () => s3.env,
    newRepo: (tag) => {
      const bucket = s3.bucket(tag);
      return { url: url(bucket, s3.server.endpoint), killUrl: url(bucket, proxy!.endpoint) };
    },
    copy: async (from, tag) => {
      const to = s3.bucket(tag);
      const src = bucketOf(from);
      const client = rawClient(s3.server);
      try {
        await client.send(new CreateBucketCommand({ Bucket: to }));
        const todo = [...(await keys(src)).keys()];
        const worker = async () => {
          for (let k = todo.pop(); k !== undefined; k = todo.pop())
            await client.send(new CopyObjectCommand({ Bucket: to, Key: `r/${k}`, CopySource: `${src}/r/${k}` }));
        };
        await Promise.all(Array.from({ length: 4 }, worker));
      } finally {
        client.destroy();
      }
      return { url: url(to, s3.server.endpoint), killUrl: url(to, proxy!.endpoint) };
    },
    objects: (repo) => keys(bucketOf(repo)),
    run: async (args, kill) => {
      let child: ChildProcess | undefined;
      proxy!.arm(typeof kill === 'object' ? { request: kill.at, when: kill.when, kill: () => child?.kill('SIGKILL') } : undefined);
      const a = await spawnCli(args, s3.env, (c) => (child = c));
      const hit = proxy!.hit;
      return {
        ...a,
        scale: proxy!.requests.length,
        ...(hit && typeof kill === 'object'
          ? { landed: `${kill.when} #${kill.at} ${hit.method} ${hit.path.replace(/^\/[^/]+\/(r\/)?/, '')}` }
          : {}),
        ...(kill === 'measure' ? { phases: requestPhases(proxy!.requests) } : {}),
      };
    },
  };
}

/** Half of the 64 KiB regions at a 128 KiB stride and one aligned 2 MiB run get new bytes. */
async function overwrite(path: string, rng: Rng): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    for (let k = 0; k < IMAGE_BYTES / (2 * REGION); k++) if (rng.next() < 0.5) await fh.write(rng.bytes(REGION), 0, REGION, 2 * k * REGION);
    await fh.write(rng.bytes(2 * MiB), 0, 2 * MiB, rng.int(IMAGE_BYTES / MiB - 1) * MiB);
  } finally {
    await fh.close();
  }
}

/** What the objects after a killed run say about how far it got (keys relative to the repository). */
function progressOf(before: Map<string, number>, after: Map<string, number>) {
  const isPack = (k: string) => k.startsWith('data/') || k.startsWith('tree/');
  // Temporary files of the local store's interrupted writes are no objects.
  const added = [...after.keys()].filter((k) => !before.has(k) && !k.includes('.tmp-'));
  const gone = [...before.keys()].filter((k) => !after.has(k));
  return {
    manifestsDeleted: gone.filter((k) => k.startsWith('snapshots/')).length,
    packsWritten: added.filter(isPack).length,
    forwardWritten: added.filter((k) => k.startsWith('forward/')).length,
    forwardDeleted: gone.filter((k) => k.startsWith('forward/')).length,
    recordsWritten: added.filter((k) => k.startsWith('prune/')).length,
    packsDeleted: gone.filter(isPack).length,
  };
}

function stateOf(p: ReturnType<typeof progressOf>): State {
  if (p.packsDeleted > 0) return 'packs deleted';
  if (p.forwardWritten > 0) return p.forwardDeleted > 0 ? 'one forwarding record, no pack deleted' : 'two forwarding records';
  return p.packsWritten > 0 ? 'new packs, no forwarding record' : 'nothing written';
}

const bytesOf = (objects: Map<string, number>) => [...objects.values()].reduce((n, s) => n + s, 0);

/** Kills `prune` and `forget --prune` on the target's repositories in `episodes` episodes. */
export function describeKillPrune(makeTarget: () => Target, episodes: number, timeoutMs: number): void {
  const t = makeTarget();

  it(
    `${t.name}: a kill -9 of prune at any moment leaves every kept snapshot bit-exact and check passing`,
    async () => {
      const env = t.env();
      const cli = async (args: string[]): Promise<any> => {
        const r = await run([...args, '--json'], env);
        expect(r.code, `snaptier ${args.join(' ')}: ${r.stderr}`).toBe(0);
        return JSON.parse(r.stdout);
      };
      const restoredSha = async (repo: Repo, id: string): Promise<string> => {
        const target = join(t.dir(), `restore-${randomBytes(4).toString('hex')}`);
        await cli(['restore', '--repo', repo.url, '--volume', 'v', '--snapshot', id, '--target', target, '--overwrite']);
        const sha = await sha256File(target);
        await rm(target);
        return sha;
      };
      const listed = async (repo: Repo): Promise<string[]> =>
        (await cli(['snapshots', '--repo', repo.url, '--volume', 'v'])).map((s: any) => s.id);

      // The base repository: the chain, pruned once on the way.
      const base = t.newRepo('base');
      await cli(['init', '--repo', base.url, '--pack-size', '1', '--compression', 'none']);
      const image = join(t.dir(), 'image');
      const rng = new Rng(SEED);
      await writeFile(image, rng.bytes(IMAGE_BYTES));
      const chain: Snap[] = [];
      for (let k = 0; k < BACKUPS; k++) {
        if (k === PRUNED_AFTER) {
          const earlier = await cli(['forget', '--repo', base.url, '--keep-last', String(KEEP), '--prune', '--grace', '0']);
          expect(earlier.prune.packsRepacked).toBeGreaterThanOrEqual(1);
        }
        if (k > 0) await overwrite(image, rng);
        const b = await cli(['backup', '--repo', base.url, '--volume', 'v', '--source', image, '--time', `2026-03-0${k + 1}T00:00:00Z`]);
        chain.push({ id: b.snapshot, sha: await sha256File(image) });
      }
      await rm(image);
      const kept = chain.slice(-KEEP);
      const newest = kept.at(-1)!;
      const shaOf = new Map(chain.map((s) => [s.id, s.sha]));
      const baseObjects = await t.objects(base);
      const baseBytes = bytesOf(baseObjects);
      expect([...baseObjects.keys()].filter((k) => k.startsWith('forward/'))).toHaveLength(1);

      // Two commands: prune after an uninterrupted forget, and forget --prune (its forget is killed too).
      const commands = {
        prune: { args: (r: Repo) => ['prune', '--repo', r.killUrl, '--grace', '0', '--repack-below', REPACK_BELOW], forgetFirst: true },
        'forget --prune': {
          args: (r: Repo) => ['forget', '--repo', r.killUrl, '--keep-last', String(KEEP), '--prune', '--grace', '0', '--repack-below', REPACK_BELOW],
          forgetFirst: false,
        },
      };
      type Command = keyof typeof commands;
      const prepared = async (tag: string, command: Command): Promise<Repo> => {
        const repo = await t.copy(base, tag);
        if (commands[command].forgetFirst) await cli(['forget', '--repo', repo.url, '--keep-last', String(KEEP)]);
        return repo;
      };
      // A whole run of each, on a copy: the scale the kill moments are drawn on.
      const whole = {} as Record<Command, Attempt & { prune: any }>;
      for (const command of Object.keys(commands) as Command[]) {
        const repo = await prepared(`measure-${command === 'prune' ? 'p' : 'fp'}`, command);
        const a = await t.run(commands[command].args(repo), 'measure');
        expect(a.code, a.stderr).toBe(0);
        const doc = JSON.parse(a.stdout);
        whole[command] = { ...a, prune: command === 'prune' ? doc : doc.prune };
        // Work at every step: packs to repack (into new packs), and more to delete.
        expect(whole[command].prune.packsRepacked).toBeGreaterThanOrEqual(3);
        expect(whole[command].prune.packsWritten).toBeGreaterThanOrEqual(1);
        expect(whole[command].prune.packsDeleted).toBeGreaterThan(whole[command].prune.packsRepacked);
      }

      const kills: Array<
        { episode: number; command: Command; run: number; aimed: string; landed: string; state: State } & ReturnType<typeof progressOf> & {
            warnings: Record<string, number>;
          }
      > = [];
      const finished: Array<{
        episode: number;
        command: Command;
        runs: number;
        ms: number;
        packsRepacked: number;
        packsDeleted: number;
        locksDeleted: number;
        temporaryDeleted: number;
      }> = [];
      const dice = new Rng(t.seed);
      // The first kill of an episode in one step of the run (on S3), or in one slice of its time,
      // every episode another; the second kill anywhere.
      const slices = Array.from({ length: episodes }, (_, i) => i).sort(() => dice.next() - 0.5);
      const killAt = (command: Command, e: number, r: number): KillAt & { aimed: string; phase?: Phase } => {
        const w = whole[command];
        const when = dice.next() < 0.5 ? 'before' : 'after';
        if (w.phases) {
          if (r > 0) return { at: 1 + dice.int(w.scale), when, aimed: 'anywhere' };
          const phase = w.phases[e % w.phases.length]!;
          return { at: phase.from + dice.int(phase.to - phase.from + 1), when: phase.when ?? when, aimed: phase.state, phase };
        }
        if (r > 0) return { at: Math.round((0.05 + 0.85 * dice.next()) * w.scale), when, aimed: 'anywhere' };
        return {
          at: Math.round((0.05 + 0.85 * ((slices[e]! + dice.next()) / episodes)) * w.scale),
          when,
          aimed: `slice ${slices[e]! + 1} of ${episodes}`,
        };
      };
      let last: Repo | undefined;
      for (let e = 0; e < episodes; e++) {
        const command: Command = e % 2 ? 'forget --prune' : 'prune';
        const repo = await prepared(`ep${e}`, command);
        const args = commands[command].args(repo);
        for (let r = 0; ; r++) {
          const before = await t.objects(repo);
          const kill = r < 2 ? killAt(command, e, r) : undefined;
          const a = await t.run(args, kill ?? 'finish');
          const what = `${t.name}, episode ${e} (${command}), run ${r}, ${a.landed ?? `${a.ms} ms`}`;
          if (!a.killed) {
            // Ended before its kill moment (a re-run has less to do), or the run left to finish.
            expect(a.code, `${what}: ${a.stderr}`).toBe(0);
            expect(kill?.phase, `${what}: ended before the request it was to be killed at`).toBeUndefined();
            const doc = JSON.parse(a.stdout);
            const p = command === 'prune' ? doc : doc.prune;
            finished.push({
              episode: e,
              command,
              runs: r + 1,
              ms: a.ms,
              packsRepacked: p.packsRepacked,
              packsDeleted: p.packsDeleted,
              locksDeleted: p.locksDeleted,
              temporaryDeleted: p.temporaryDeleted,
            });
            break;
          }
          const after = await t.objects(repo);
          const ids = await listed(repo);
          // One more listed snapshot, by the dice: the older kept one, or one a killed forget left.
          const others = ids.filter((id) => id !== newest.id);
          const other = others[dice.int(others.length)]!;
          const [check, newestSha, otherSha] = await Promise.all([
            cli(['check', '--repo', repo.url]),
            restoredSha(repo, newest.id),
            restoredSha(repo, other),
          ]);
          expect(ids, what).toEqual(chain.map((s) => s.id).filter((id) => ids.includes(id)));
          expect(ids.slice(-KEEP), what).toEqual(kept.map((k) => k.id));
          expect(ids.length, what).toBeLessThanOrEqual(BACKUPS - PRUNED_AFTER + KEEP);
          if (command === 'prune') expect(ids, what).toEqual(kept.map((k) => k.id));
          expect(newestSha, what).toBe(newest.sha);
          expect(otherSha, `${what}: snapshot ${other}`).toBe(shaOf.get(other));
          expect(check, what).toMatchObject({ ok: true, errors: [] });
          for (const w of check.warnings) expect(w, what).toMatch(LEFTOVER);
          const warnings: Record<string, number> = {};
          for (const w of check.warnings as string[]) {
            const kind = w.startsWith('pack ') ? 'unreferencedPack' : w.startsWith('lease ') ? 'staleLease' : 'temporaryObject';
            warnings[kind] = (warnings[kind] ?? 0) + 1;
          }
          const progress = progressOf(before, after);
          // A first run starts from the state the whole run was measured on: a kill within a
          // step of its requests leaves that step's state.
          if (kill?.phase) expect(stateOf(progress), what).toBe(kill.phase.state);
          kills.push({
            episode: e,
            command,
            run: r,
            aimed: kill!.aimed,
            landed: a.landed ?? `${a.ms} ms`,
            state: stateOf(progress),
            ...progress,
            warnings,
          });
        }
        // The finished run cleaned up after the killed ones: nothing left to warn about.
        const what = `${t.name}, episode ${e} (${command}), finished`;
        expect(await listed(repo), what).toEqual(kept.map((k) => k.id));
        expect(await cli(['check', '--repo', repo.url]), what).toMatchObject({ ok: true, errors: [], warnings: [] });
        expect(bytesOf(await t.objects(repo)), what).toBeLessThan(baseBytes);
        last = repo;
      }

      // The last repository: every blob authenticated, every kept snapshot bit-exact.
      const final = await cli(['check', '--repo', last!.url, '--read-data']);
      expect(final).toMatchObject({ ok: true, errors: [], warnings: [], snapshots: KEEP });
      expect(await Promise.all(kept.map((k) => restoredSha(last!, k.id)))).toEqual(kept.map((k) => k.sha));

      const finalBytes = bytesOf(await t.objects(last!));
      console.log(
        JSON.stringify({
          target: t.name,
          whole: Object.fromEntries(
            Object.entries(whole).map(([c, w]) => [
              c,
              {
                scale: w.scale,
                packsRepacked: w.prune.packsRepacked,
                packsWritten: w.prune.packsWritten,
                packsDeleted: w.prune.packsDeleted,
                bytesFreed: w.prune.bytesFreed,
                phases: w.phases,
              },
            ]),
          ),
          baseBytes,
          finalBytes,
          kills,
          finished,
        }),
      );

      // The kills landed at different steps (on S3 at every one, checked above); the finished
      // runs removed the killed runs' stale leases.
      expect(kills.length).toBeGreaterThanOrEqual(episodes);
      expect(kills.filter((k) => k.state === 'nothing written').length).toBeGreaterThanOrEqual(1);
      expect(kills.filter((k) => k.warnings.staleLease).length).toBeGreaterThanOrEqual(1);
      expect(finished.reduce((n, f) => n + f.locksDeleted, 0)).toBeGreaterThanOrEqual(1);
    },
    timeoutMs,
  );
}

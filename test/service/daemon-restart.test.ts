// The daemon across a stop and a start: SIGTERM in the middle of a scheduled backup stops it at
// a checkpoint and the daemon exits 0; the history (with a torn last line, as a crash would
// leave) survives; after the start the volume, which missed its schedule, runs once as
// "catch-up" and that run resumes the interrupted backup. Ticks that fire while the backup runs
// are skipped and counted. A bad configuration exits 2 naming each key and line.
import { randomBytes } from 'node:crypto';
import { appendFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/cli.js';
import { type DaemonHandle, startDaemon, waitFor } from '../helpers/daemon.js';
import { parseMetrics } from './metrics-text.js';

const MiB = 1024 * 1024;
const TOKEN = 'restart-token';
/** Incompressible: every byte goes through the upload limit. */
const IMAGE_BYTES = 20 * MiB;

let tmp: { path: string; cleanup: () => Promise<void> };
let repo: string;
let configFile: string;
let stateDir: string;
let d: DaemonHandle | null = null;

beforeAll(async () => {
  tmp = await tempDir('snaptier-daemon-restart-');
  repo = join(tmp.path, 'repo');
  stateDir = join(tmp.path, 'state');
  // 1 MiB packs: a checkpoint every 8 MiB uploaded.
  expect((await run(['init', '--repo', repo, '--pack-size', '1', '--compression', 'none'])).code).toBe(0);
  await writeFile(join(tmp.path, 'big.img'), randomBytes(IMAGE_BYTES));
  await writeFile(join(tmp.path, 'token'), TOKEN);
  configFile = join(tmp.path, 'daemon.yaml');
  await writeFile(
    configFile,
    `
listen: 127.0.0.1:0
tokenFile: ${tmp.path}/token
stateDir: ${stateDir}
repositories:
  main: { url: "${repo}", uploadLimit: 3072 }
volumes:
  big:
    repository: main
    schedule: "*/2 * * * * *"
    source: { type: file, path: ${tmp.path}/big.img }
`,
  );
}, 60_000);

afterAll(async () => {
  await d?.stop();
  await tmp?.cleanup();
});

async function checkpoints(): Promise<number> {
  const files = (await readdir(join(repo, 'checkpoints'), { recursive: true }).catch(() => [])) as string[];
  return files.filter((f) => /[0-9a-f]{16,}$/.test(f)).length;
}

describe('the daemon stopped mid-backup and started again', () => {
  it('stops at a checkpoint on SIGTERM, exits 0, and resumes in one catch-up run', async () => {
    d = await startDaemon(configFile, stateDir, TOKEN);
    const first = await waitFor('a running backup', async () => (await d!.api('GET', '/api/v1/jobs?state=running')).json[0]);
    expect(first).toMatchObject({ kind: 'backup', volume: 'big', trigger: 'schedule' });
    await waitFor('a checkpoint of the running backup', async () => (await checkpoints()) > 0);
    // The schedule fires every 2 s; the backup takes several: those ticks are skipped and counted.
    await waitFor('a skipped tick', async () => (parseMetrics((await d!.api('GET', '/metrics')).text).value('snaptier_schedule_skipped_total', { volume: 'big', policy: '' }) ?? 0) >= 1);
    d.child.kill('SIGTERM');
    const ended = await d.ended;
    d = null;
    expect(ended.code).toBe(0);
    expect(ended.ms).toBeLessThan(60_000); // a generous bound; the contract's 30 s is counted from the signal
    const logs = ended.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(logs.find((l) => l.msg === 'job canceled')).toMatchObject({ job: first.id, volume: 'big' });
    expect(logs.at(-1).msg).toBe('daemon stopped');
    for (const l of logs) expect(Object.keys(l)).toEqual(expect.arrayContaining(['time', 'level', 'msg']));

    // A crash mid-write leaves half a line: the history reads past it.
    await appendFile(join(stateDir, 'jobs.jsonl'), '{"id":"torn-line","kind":"back');

    d = await startDaemon(configFile, stateDir, TOKEN);
    const catchUp = await waitFor('the catch-up run', async () => {
      const j = (await d!.api('GET', '/api/v1/jobs?volume=big')).json.find((x: any) => x.trigger === 'catch-up');
      return j && (j.state === 'succeeded' || j.state === 'failed') ? j : undefined;
    }, 90_000);
    expect(catchUp.state).toBe('succeeded');
    expect(catchUp.result).toMatchObject({ resumed: true, size: IMAGE_BYTES });
    expect(catchUp.result.bytesReused).toBeGreaterThanOrEqual(8 * MiB);
    const all = (await d.api('GET', '/api/v1/jobs?volume=big')).json;
    expect(all.filter((j: any) => j.trigger === 'catch-up')).toHaveLength(1);
    expect(all.find((j: any) => j.id === first.id)).toMatchObject({ state: 'canceled', trigger: 'schedule' });
    expect(all.find((j: any) => j.id === 'torn-line')).toBeUndefined();
    const vol = (await d.api('GET', '/api/v1/volumes')).json[0];
    expect(vol).toMatchObject({ name: 'big', lastSnapshot: catchUp.result.snapshot });
    const e = await d.stop();
    d = null;
    expect(e.code).toBe(0);

    // Started again, the last success is known at once, before any backup ran.
    d = await startDaemon(configFile, stateDir, TOKEN);
    const m = parseMetrics((await d.api('GET', '/metrics')).text);
    expect(m.value('snaptier_backup_last_success_timestamp_seconds', { volume: 'big' })).toBe(Date.parse(vol.lastSuccess) / 1000);
    expect((await d.stop()).code).toBe(0);
    d = null;
  }, 180_000);

  it('exits 2 on a bad configuration, one line per problem naming the key and the line', async () => {
    const bad = join(tmp.path, 'bad.yaml');
    await writeFile(
      bad,
      `listen: 127.0.0.1:0
stateDir: ${stateDir}
repositories:
  main: { url: "${repo}" }
volumes:
  big:
    repository: main
    schedule: "*/61 * * * *"
    source: { type: file, path: /x, colour: red }
    retry: { attempts: many }
`,
    );
    for (const args of [['--check'], []]) {
      const r = await run(['daemon', '--config', bad, ...args]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^${bad}:8: volumes\\.big\\.schedule: .*61`)),
        `${bad}:9: volumes.big.source.colour: unknown key`,
        expect.stringMatching(new RegExp(`^${bad}:10: volumes\\.big\\.retry\\.attempts: `)),
      ]);
    }
    const good = await run(['daemon', '--config', configFile, '--check']);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^volume big \(\*\/2 \* \* \* \* \*\): \S+Z, \S+Z, \S+Z$/m);
  });
});

// Change lists from a `command` source are used against their stated base and checked, never
// trusted blindly: an honest list is used (little is read), a lying one ("nothing changed" after
// a rewrite) is caught by the sample check, the backup falls back to comparing every
// fingerprint, the restore is still the image, and snaptier_hint_mismatches_total counts it.
// A verify run that reads a damaged pack fails, naming it.
import { randomBytes } from 'node:crypto';
import { open, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../helpers/cli.js';
import { type DaemonHandle, startDaemon, waitFor } from '../helpers/daemon.js';
import { sha256File } from '../helpers/images.js';
import { parseMetrics } from './metrics-text.js';

const MiB = 1024 * 1024;
const TOKEN = 'hints-token';
const IMAGE_BYTES = 8 * MiB;

let tmp: { path: string; cleanup: () => Promise<void> };
let d: DaemonHandle | null = null;
let repo: string;
let image: string;
let extents: string;

beforeAll(async () => {
  tmp = await tempDir('snaptier-daemon-hints-');
  repo = join(tmp.path, 'repo');
  image = join(tmp.path, 'vol.img');
  extents = join(tmp.path, 'extents.json');
  expect((await run(['init', '--repo', repo])).code).toBe(0);
  await writeFile(image, randomBytes(IMAGE_BYTES));
  await writeFile(extents, '[]');
  await writeFile(join(tmp.path, 'token'), TOKEN);
  const dir = tmp.path;
  await writeFile(
    join(dir, 'daemon.yaml'),
    `
listen: 127.0.0.1:0
tokenFile: ${dir}/token
stateDir: ${dir}/state
repositories:
  main: { url: "${repo}" }
volumes:
  vol:
    repository: main
    schedule: "0 0 1 1 *"
    source:
      type: command
      create: "cp ${image} ${dir}/snap-{name}.img && echo ${dir}/snap-{name}.img && echo ${extents}"
      delete: "rm -f ${dir}/snap-{name}.img"
policies:
  - { name: verify, kind: verify, schedule: "0 0 1 1 *", repository: main, readData: "100%" }
`,
  );
  d = await startDaemon(join(dir, 'daemon.yaml'), join(dir, 'state'), TOKEN);
}, 60_000);

afterAll(async () => {
  await d?.stop();
  await tmp?.cleanup();
});

async function backup(): Promise<any> {
  const { json } = await d!.api('POST', '/api/v1/jobs', { kind: 'backup', volume: 'vol' });
  const job = await waitFor('the backup', async () => {
    const j = (await d!.api('GET', `/api/v1/jobs/${json.id}`)).json;
    return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
  });
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  const out = join(tmp.path, `restore-${job.id}`);
  const r = await run(['restore', '--repo', repo, '--volume', 'vol', '--snapshot', job.result.snapshot, '--target', out]);
  expect(r.code, r.stderr).toBe(0);
  expect(await sha256File(out)).toBe(await sha256File(image));
  return job;
}

describe('change lists of a command source', () => {
  it('uses an honest list against its stated base and catches a lying one', async () => {
    const full = await backup();
    expect(full.result).toMatchObject({ changeList: null, base: null });

    // Honest: 64 KiB rewritten at 1 MiB, and the list says so.
    const fh = await open(image, 'r+');
    await fh.write(randomBytes(64 * 1024), 0, 64 * 1024, MiB);
    await fh.close();
    await writeFile(extents, JSON.stringify([{ offset: MiB, length: 64 * 1024 }]));
    const honest = await backup();
    expect(honest.result).toMatchObject({ base: full.result.snapshot, changeList: { base: full.result.sourceId }, hints: { mode: 'sample', mismatched: 0, fellBack: false } });
    expect(honest.result.bytesRead).toBeLessThan(IMAGE_BYTES);

    // Lying: the whole image rewritten, the list says nothing changed.
    await writeFile(image, randomBytes(IMAGE_BYTES));
    await writeFile(extents, '[]');
    const lying = await backup();
    expect(lying.result).toMatchObject({ base: honest.result.snapshot, hints: { fellBack: true } });
    expect(lying.result.hints.mismatched).toBeGreaterThan(0);
    const m = parseMetrics((await d!.api('GET', '/metrics')).text);
    expect(m.value('snaptier_hint_mismatches_total', { volume: 'vol' })).toBe(lying.result.hints.mismatched);
  }, 120_000);

  it('fails a verify run that reads a damaged pack, naming it', async () => {
    const packs = ((await readdir(join(repo, 'data'), { recursive: true })) as string[]).filter((f) => /[0-9a-f]{16,}$/.test(f)).sort();
    const victim = join(repo, 'data', packs[0]!);
    const fh = await open(victim, 'r+');
    const byte = Buffer.alloc(1);
    await fh.read(byte, 0, 1, 100);
    byte[0] = byte[0]! ^ 0xff;
    await fh.write(byte, 0, 1, 100);
    await fh.close();
    const { json } = await d!.api('POST', '/api/v1/jobs', { kind: 'policy', name: 'verify' });
    const job = await waitFor('the verify run', async () => {
      const j = (await d!.api('GET', `/api/v1/jobs/${json.id}`)).json;
      return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
    });
    expect(job).toMatchObject({ state: 'failed', kind: 'verify', error: { code: 'INTEGRITY' }, result: { ok: false } });
    expect(job.result.packsRead).toBe(job.result.packsTotal);
    expect(job.result.errors).toEqual([expect.stringContaining(packs[0]!.split('/').at(-1)!)]);
    const m = parseMetrics((await d!.api('GET', '/metrics')).text);
    expect(m.value('snaptier_job_runs_total', { kind: 'verify', volume: '', policy: 'verify', result: 'failed' })).toBe(1);
    expect(m.series('snaptier_verify_last_success_timestamp_seconds')).toEqual([]);
  });
});

// Archive tiers through the real CLI against Azurite behind a proxy that emulates Azure's Archive
// tier and rehydration (azure-archive-proxy.ts: 409 BlobArchived, Set Blob Tier 202/409,
// x-ms-archive-status) with a clock the test moves: tier to Archive, plan, refusal, rehydration
// across a kill with no second Set Blob Tier, bit-exact restore.
import type { ChildProcess } from 'node:child_process';
import { copyFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { run, runJson, start, tempDir } from '../helpers/cli.js';
import { mutate, sha256File, writeImage } from '../helpers/images.js';
import { Rng } from '../helpers/random.js';
import { type AzureArchiveProxy, startAzureArchiveProxy } from './azure-archive-proxy.js';

const MiB = 1024 * 1024;
const children: ChildProcess[] = [];
const track = <T extends { child: ChildProcess }>(p: T): T => {
  children.push(p.child);
  return p;
};
const HOUR = 3_600_000;
const CONTAINER = 'archive';

let azurite: Azurite;
let proxy: AzureArchiveProxy;
let tmp: { path: string; cleanup: () => Promise<void> };
let env: Record<string, string>;
let url: string;
const img = (n: string) => join(tmp.path, n);
const blobPath = (k: string) => `${CONTAINER}/repo/${k}`;
const requests = () => [...proxy.log.rehydrateRequests.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  // Azurite starts while the images are written.
  const images = async (): Promise<void> => {
    tmp = await tempDir('snaptier-azarchive-');
    await writeImage(img('v-1'), 12 * MiB + 77, 81);
    await copyFile(img('v-1'), img('v-2'));
    await mutate(img('v-2'), 'contiguous', new Rng(82));
  };
  [azurite] = await Promise.all([startAzurite(), images()]);
  proxy = await startAzureArchiveProxy(azurite.endpoint.replace(/\/devstoreaccount1$/, ''));
  env = { AZURE_STORAGE_KEY: azurite.key };
  url = `azure://${CONTAINER}/repo?account=${azurite.account}&endpoint=${encodeURIComponent(`${proxy.endpoint}/${azurite.account}`)}`;
}, 60_000);

afterAll(async () => {
  // A failed test may leave a restore waiting for a thaw: end it.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await proxy?.close();
  await azurite?.stop();
  await tmp?.cleanup();
});

describe('archive tiers on Azure (emulated Archive tier)', () => {
  it('archives data packs, plans, refuses without --rehydrate, rehydrates across a kill without asking twice, restores bit-exact', async () => {
    await runJson(['init', '--repo', url, '--pack-size', '1'], env);
    await runJson(['backup', '--repo', url, '--volume', 'v', '--source', img('v-1')], env);
    const moved = await runJson(['tier', '--repo', url, '--older-than', '0', '--class', 'archive'], env);
    expect(moved.class).toBe('Archive');
    expect(moved.moved).toBeGreaterThan(1);
    const archived: string[] = moved.keys;
    expect(archived.every((k) => k.startsWith('data/') && proxy.tierOf(blobPath(k)) === 'Archive')).toBe(true);
    expect(proxy.tierOf(blobPath('config'))).toBe('Hot');
    const again = await runJson(['tier', '--repo', url, '--older-than', '0', '--class', 'Archive', '--dry-run'], env);
    expect(again.alreadyThere).toBe(archived.length);
    const b = (await runJson(['backup', '--repo', url, '--volume', 'v', '--source', img('v-2')], env)).snapshot;

    const plan = await runJson(['restore', '--repo', url, '--volume', 'v', '--snapshot', b, '--plan-only', '--priority', 'expedited'], env);
    const cold: string[] = plan.coldPacks.map((p: { key: string }) => p.key);
    expect(cold.length).toBeGreaterThan(0);
    expect(cold.every((k) => archived.includes(k))).toBe(true);
    expect(plan.estimate.hours).toEqual([0, 1]);

    const refused = await run(['restore', '--repo', url, '--volume', 'v', '--snapshot', b, '--target', img('refused')], env);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`needs ${cold.length} of its`);
    await expect(stat(img('refused'))).rejects.toThrow();
    expect(requests()).toBe(0);
    expect(proxy.log.answers.get409).toBe(0);

    const args = ['restore', '--repo', url, '--volume', 'v', '--snapshot', b, '--target', img('v-2.out'), '--rehydrate', '--rehydrate-poll', '0.05', '--json'];
    const heads0 = proxy.log.heads;
    const first = track(start(args, env));
    await proxy.until((l) => requests() >= cold.length && l.heads >= heads0 + 3 * cold.length);
    first.child.kill('SIGKILL');
    await first.ended;
    expect(proxy.log.answers.tier202).toBe(cold.length);

    const heads1 = proxy.log.heads;
    const second = track(start(args, env));
    await proxy.until((l) => l.heads >= heads1 + 3 * cold.length);
    expect(requests()).toBe(cold.length);
    const getsBefore = proxy.log.gets.length;
    proxy.advance(16 * HOUR); // Standard priority: up to 15 hours
    const done = await second.ended;
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).rehydration).toMatchObject({ requested: 0, inProgress: cold.length });
    expect(await sha256File(img('v-2.out'))).toBe(await sha256File(img('v-2')));
    for (const k of cold) expect(proxy.log.rehydrateRequests.get(blobPath(k))).toBe(1);
    expect(proxy.log.answers.tier409).toBe(0);
    const readArchived = new Set(proxy.log.gets.slice(getsBefore).filter((p) => archived.some((k) => blobPath(k) === p)));
    expect(readArchived).toEqual(new Set(cold.map(blobPath)));
  }, 180_000);
});

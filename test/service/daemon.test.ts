// The daemon end to end, as an operator runs it: `snaptier daemon` as a real process with
// second-granularity schedules, a local repository and one on s3rver, driven over real HTTP.
// Two volumes (a file and a command source) back up on schedule; retention, copy, verify and
// drill policies run; a backup is requested through the API; a token is required; a second job
// of a running volume is refused (409); a running job is canceled; SIGHUP with a bad file keeps
// the old configuration; /metrics carries every metric of the contract and passes promtool.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { type DaemonHandle, startDaemon, waitFor } from '../helpers/daemon.js';
import { sha256File, writeImage } from '../helpers/images.js';
import { rawClient, removeBucket, uniqueBucket } from '../helpers/s3-bucket.js';
import { type S3rverHandle, startS3rver } from '../helpers/s3rver.js';
import { onPath } from '../helpers/ceph.js';
import { parseMetrics, CONTRACT_METRICS } from './metrics-text.js';

const exec = promisify(execFile);
const MiB = 1024 * 1024;
const TOKEN = 'test-token-0123456789';

let tmp: { path: string; cleanup: () => Promise<void> };
let s3: S3rverHandle;
const bucket = uniqueBucket('daemon');
let main: string;
let dr: string;
let env: Record<string, string>;
let d: DaemonHandle;
let configFile: string;
let goodConfig: string;

function config(dir: string): string {
  return `
listen: 127.0.0.1:0
tokenFile: ${dir}/token
stateDir: ${dir}/state
concurrency: 3
repositories:
  main: { url: "${main}", passwordFile: ${dir}/main.pw }
  dr: { url: "${dr}", passwordFile: ${dir}/dr.pw }
volumes:
  v1:
    repository: main
    schedule: "*/2 * * * * *"
    source: { type: file, path: ${dir}/v1.img }
    labels: { tier: gold }
  v2:
    repository: main
    schedule: "1-59/2 * * * * *"
    source: { type: command, create: "cp ${dir}/v2.img ${dir}/v2-{name}.img && echo ${dir}/v2-{name}.img", delete: "rm -f ${dir}/v2-{name}.img" }
    hooks: { pre: "echo pre >> ${dir}/hooks.log", post: "echo post >> ${dir}/hooks.log", timeoutSeconds: 10 }
  gated:
    repository: main
    schedule: "0 0 1 1 *"
    source: { type: file, path: ${dir}/v1.img }
    hooks: { pre: "read line < ${dir}/gate.fifo", post: "echo gated-post >> ${dir}/hooks.log", timeoutSeconds: 120 }
  flaky:
    repository: main
    schedule: "0 0 1 1 *"
    source: { type: command, create: "test -e ${dir}/flaky.marker || { touch ${dir}/flaky.marker; exit 1; }; echo ${dir}/v2.img" }
    retry: { attempts: 2, backoffSeconds: 1 }
policies:
  - { name: retention, kind: forget, schedule: "*/3 * * * * *", repository: main, volume: v1, keep: { last: 2 }, prune: true }
  - { name: offsite, kind: copy, schedule: "*/4 * * * * *", from: main, to: dr, volume: v2 }
  - { name: verify, kind: verify, schedule: "*/5 * * * * *", repository: main, readData: "50%" }
  - { name: drill, kind: drill, schedule: "*/5 * * * * *", volume: v1, scratch: ${dir}/drill }
  - { name: drill-v2, kind: drill, schedule: "0 0 1 1 *", volume: v2, scratch: ${dir}/drill }
`;
}

beforeAll(async () => {
  tmp = await tempDir('snaptier-daemon-');
  s3 = await startS3rver();
  env = { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, AWS_REGION: 'us-east-1' };
  main = join(tmp.path, 'main');
  dr = `s3://${bucket}/dr?endpoint=${encodeURIComponent(s3.endpoint)}&path-style=true&atomic-create=false`;
  await writeFile(join(tmp.path, 'token'), `${TOKEN}\n`);
  await writeFile(join(tmp.path, 'main.pw'), 'main-password\n');
  await writeFile(join(tmp.path, 'dr.pw'), 'dr-password\n');
  expect((await run(['init', '--repo', main, '--password-file', join(tmp.path, 'main.pw')], env)).code).toBe(0);
  expect((await run(['init', '--repo', dr, '--password-file', join(tmp.path, 'dr.pw')], env)).code).toBe(0);
  await writeImage(join(tmp.path, 'v1.img'), 2 * MiB + 512, 11);
  await writeImage(join(tmp.path, 'v2.img'), 1 * MiB + 4096, 12);
  await exec('mkfifo', [join(tmp.path, 'gate.fifo')]);
  configFile = join(tmp.path, 'daemon.yaml');
  goodConfig = config(tmp.path);
  await writeFile(configFile, goodConfig);
  d = await startDaemon(configFile, join(tmp.path, 'state'), TOKEN, env);
}, 60_000);

afterAll(async () => {
  const e = await d?.stop();
  await s3 && removeBucket(rawClient(s3), bucket).catch(() => {});
  await s3?.stop();
  await tmp?.cleanup();
  if (e) expect(e.code).toBe(0);
});

const jobs = async (query: string): Promise<any[]> => (await d.api('GET', `/api/v1/jobs?${query}`)).json;

describe('snaptier daemon over HTTP', () => {
  it('asks for the token on /api/* and not on /healthz or /metrics', async () => {
    expect((await d.api('GET', '/api/v1/volumes', undefined, null)).status).toBe(401);
    const wrong = await d.api('GET', '/api/v1/jobs', undefined, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toMatch(/bearer token/);
    expect(await d.api('GET', '/healthz', undefined, null)).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect((await d.api('GET', '/metrics', undefined, null)).status).toBe(200);
    const doc = await d.api('GET', '/api/v1/openapi.json');
    expect(doc.json.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.json.paths)).toContain('/api/v1/jobs/{id}');
  });

  it('backs up two volumes on schedule, with hooks around the command source', async () => {
    for (const volume of ['v1', 'v2']) {
      await waitFor(`two scheduled backups of ${volume}`, async () => (await jobs(`volume=${volume}&state=succeeded`)).filter((j) => j.kind === 'backup' && j.trigger === 'schedule').length >= 2 || undefined);
    }
    const latest = (await jobs('volume=v1&state=succeeded')).find((j) => j.kind === 'backup');
    expect(latest).toMatchObject({ kind: 'backup', volume: 'v1', policy: null, state: 'succeeded', trigger: 'schedule' });
    expect(latest.result).toMatchObject({ volume: 'v1', size: 2 * MiB + 512 });
    const snaps = await d.api('GET', '/api/v1/volumes/v2/snapshots');
    expect(snaps.status).toBe(200);
    expect(snaps.json.length).toBeGreaterThanOrEqual(2);
    expect(snaps.json[0]).toEqual(expect.objectContaining({ volume: 'v2', size: 1 * MiB + 4096 }));
    // Each restore of v2 is its image; the command source's copies were deleted after each backup.
    const out = join(tmp.path, 'v2.restored');
    await runJson(['restore', '--repo', main, '--password-file', join(tmp.path, 'main.pw'), '--volume', 'v2', '--snapshot', snaps.json.at(-1).id, '--target', out], env);
    expect(await sha256File(out)).toBe(await sha256File(join(tmp.path, 'v2.img')));
    const hooks = (await readFile(join(tmp.path, 'hooks.log'), 'utf8')).trim().split('\n');
    expect(hooks.filter((l) => l === 'pre').length).toBeGreaterThanOrEqual(2);
    const volumes = (await d.api('GET', '/api/v1/volumes')).json;
    expect(volumes.map((v: any) => v.name)).toEqual(['v1', 'v2', 'gated', 'flaky']);
    const v1 = volumes[0];
    expect(Object.keys(v1).sort()).toEqual(['lastRun', 'lastSnapshot', 'lastSuccess', 'name', 'nextRun', 'repository', 'running', 'schedule']);
    expect(v1.repository).toBe('main');
    expect(Date.parse(v1.nextRun)).toBeGreaterThan(Date.parse(v1.lastSuccess) - 2000);
  }, 90_000);

  it('runs the retention, copy, verify and drill policies', async () => {
    const forget = await waitFor('a forget that removed snapshots', async () => (await jobs('state=succeeded')).find((j) => j.policy === 'retention' && j.result.remove.length > 0));
    expect(forget.result.keep.length).toBe(2);
    const copy = await waitFor('a copy that copied snapshots', async () => (await jobs('state=succeeded')).find((j) => j.policy === 'offsite' && j.result.snapshots.length > 0));
    const atDr = await runJson(['snapshots', '--repo', dr, '--password-file', join(tmp.path, 'dr.pw'), '--volume', 'v2'], env);
    // Copies name their original (a label before copies kept ids, the id itself after).
    expect(atDr.map((s: any) => s.labels['snaptier.copy-of'] ?? s.id)).toEqual(expect.arrayContaining(copy.result.snapshots));
    const verify = await waitFor('a verify run that read packs', async () => (await jobs('state=succeeded')).find((j) => j.policy === 'verify' && j.result.packsRead > 0));
    expect(verify.result).toMatchObject({ ok: true, errors: [] });
    expect(verify.result.packsRead).toBe(Math.max(1, Math.ceil(verify.result.packsTotal / 2)));
    const drill = await waitFor('a drill', async () => (await jobs('state=succeeded')).find((j) => j.policy === 'drill'));
    expect(drill.result).toMatchObject({ volume: 'v1', proven: true, bytesWritten: 2 * MiB + 512 });
    expect(drill.result.restoreSeconds).toBeGreaterThan(0);
    // A policy run asked for through the API (the restore-drill runbook's first step).
    const asked = await d.api('POST', '/api/v1/jobs', { kind: 'policy', name: 'drill-v2' });
    expect(asked.status).toBe(202);
    const drill2 = await waitFor('the requested drill', async () => {
      const j = (await d.api('GET', `/api/v1/jobs/${asked.json.id}`)).json;
      return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
    });
    expect(drill2).toMatchObject({ state: 'succeeded', trigger: 'api', kind: 'drill', policy: 'drill-v2', volume: 'v2', result: { proven: true, bytesWritten: 1 * MiB + 4096 } });
    expect((await d.api('POST', '/api/v1/jobs', { kind: 'policy', name: 'nope' })).status).toBe(404);
    const m = parseMetrics((await d.api('GET', '/metrics')).text);
    expect(m.value('snaptier_drill_restore_seconds', { volume: 'v1' })).toBeGreaterThan(0);
    expect(m.value('snaptier_drill_restore_seconds', { volume: 'v2' })).toBeGreaterThan(0);
    expect(m.value('snaptier_verify_last_success_timestamp_seconds', { repository: 'main' })).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(m.value('snaptier_job_runs_total', { kind: 'drill', volume: 'v1', policy: 'drill', result: 'succeeded' })).toBeGreaterThanOrEqual(1);
    expect(m.value('snaptier_job_runs_total', { kind: 'verify', volume: '', policy: 'verify', result: 'succeeded' })).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('queues a backup asked for through the API, refuses a second one with 409, and cancels', async () => {
    const first = await d.api('POST', '/api/v1/jobs', { kind: 'backup', volume: 'gated' });
    expect(first.status).toBe(202);
    // Its pre hook waits on the fifo: the job stays running until the test writes a line.
    await waitFor('the gated job to run', async () => (await d.api('GET', `/api/v1/jobs/${first.json.id}`)).json.state === 'running');
    const second = await d.api('POST', '/api/v1/jobs', { kind: 'backup', volume: 'gated' });
    expect(second.status).toBe(409);
    expect(second.json.error.message).toMatch(/gated/);
    expect((await d.api('GET', '/api/v1/volumes')).json.find((v: any) => v.name === 'gated').running).toBe(true);
    expect((await d.api('DELETE', `/api/v1/jobs/${first.json.id}`)).status).toBe(202);
    const canceled = await waitFor('the cancel', async () => {
      const j = (await d.api('GET', `/api/v1/jobs/${first.json.id}`)).json;
      return j.state === 'canceled' ? j : undefined;
    });
    expect(canceled.error.message).toMatch(/cancel/);
    expect((await d.api('DELETE', `/api/v1/jobs/${first.json.id}`)).status).toBe(409);
    expect((await d.api('GET', '/api/v1/jobs/nope')).status).toBe(404);
    expect((await d.api('POST', '/api/v1/jobs', { kind: 'backup', volume: 'nope' })).status).toBe(404);
    expect((await d.api('POST', '/api/v1/jobs', { kind: 'dance' })).status).toBe(400);
    // post ran although the job was canceled while pre held it.
    expect((await readFile(join(tmp.path, 'hooks.log'), 'utf8')).split('\n')).toContain('gated-post');

    const again = await d.api('POST', '/api/v1/jobs', { kind: 'backup', volume: 'gated' });
    expect(again.status).toBe(202);
    await waitFor('the second gated job to run', async () => (await d.api('GET', `/api/v1/jobs/${again.json.id}`)).json.state === 'running');
    await writeFile(join(tmp.path, 'gate.fifo'), 'go\n');
    const done = await waitFor('the API backup', async () => {
      const j = (await d.api('GET', `/api/v1/jobs/${again.json.id}`)).json;
      return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
    });
    expect(done).toMatchObject({ state: 'succeeded', trigger: 'api', kind: 'backup', volume: 'gated' });
    expect(done.result.snapshot).toMatch(/^[0-9a-f]{32}$/);
    const restore = await d.api('POST', '/api/v1/jobs', { kind: 'restore', volume: 'gated', snapshot: done.result.snapshot, target: join(tmp.path, 'gated.restored') });
    expect(restore.status).toBe(202);
    const r = await waitFor('the restore', async () => {
      const j = (await d.api('GET', `/api/v1/jobs/${restore.json.id}`)).json;
      return j.state === 'succeeded' || j.state === 'failed' ? j : undefined;
    });
    expect(r).toMatchObject({ state: 'succeeded', kind: 'restore', result: { snapshot: done.result.snapshot, bytesWritten: 2 * MiB + 512 } });
    expect(await sha256File(join(tmp.path, 'gated.restored'))).toBe(await sha256File(join(tmp.path, 'v1.img')));
  }, 90_000);

  it('retries a failed backup after its backoff, keeping the failure in the history', async () => {
    const first = await d.api('POST', '/api/v1/jobs', { kind: 'backup', volume: 'flaky' });
    expect(first.status).toBe(202);
    const retried = await waitFor('the retry', async () => (await jobs('volume=flaky')).find((j) => j.trigger === 'retry' && (j.state === 'succeeded' || j.state === 'failed')));
    expect(retried).toMatchObject({ state: 'succeeded', attempt: 2, kind: 'backup' });
    const failed = (await d.api('GET', `/api/v1/jobs/${first.json.id}`)).json;
    expect(failed).toMatchObject({ state: 'failed', trigger: 'api', attempt: 1 });
    expect(failed.error.message).toMatch(/source create command failed/);
    expect(d.logs().find((l) => l.msg === 'job will be retried' && l.job === first.json.id)).toMatchObject({ volume: 'flaky', attempt: 2, delaySeconds: 1 });
  });

  it('keeps the old configuration when SIGHUP brings a bad file, and takes a good one', async () => {
    await writeFile(configFile, goodConfig.replace('concurrency: 3', 'concurrency: 3\ncolour: blue'));
    d.child.kill('SIGHUP');
    const refused = await waitFor('the reload to be refused', () => d.logs().find((l) => l.msg === 'configuration reload refused; the previous configuration stays'));
    expect(JSON.stringify(refused.problems)).toMatch(/colour: unknown key/);
    expect((await d.api('GET', '/api/v1/volumes')).json).toHaveLength(4);
    const withoutGated = goodConfig.replace(/ {2}gated:\n( {4}.*\n){4}/, '');
    await writeFile(configFile, withoutGated.replace('repositories:\n', `repositories:\n  gone: { url: "${tmp.path}/nowhere" }\n`));
    d.child.kill('SIGHUP');
    await waitFor('the reload', () => d.logs().find((l) => l.msg === 'configuration reloaded'));
    expect((await d.api('GET', '/api/v1/volumes')).json.map((v: any) => v.name)).toEqual(['v1', 'v2', 'flaky']);
    // A repository that cannot be opened makes the daemon degraded, naming it.
    const health = await d.api('GET', '/healthz', undefined, null);
    expect(health.status).toBe(503);
    expect(health.json.status).toBe('degraded');
    expect(health.json.problems).toEqual([expect.stringMatching(/^repository gone: /)]);
    await writeFile(configFile, withoutGated);
    d.child.kill('SIGHUP');
    await waitFor('the second reload', () => d.logs().filter((l) => l.msg === 'configuration reloaded').length >= 2);
    expect((await d.api('GET', '/healthz', undefined, null)).status).toBe(200);
  });

  it('serves every metric of the contract with its labels, and promtool accepts them', async () => {
    const text = (await d.api('GET', '/metrics')).text;
    const m = parseMetrics(text);
    for (const [name, labels] of CONTRACT_METRICS) {
      const series = m.series(name);
      expect(series.length, `${name} has no series`).toBeGreaterThan(0);
      for (const s of series) expect(Object.keys(s.labels).sort(), name).toEqual([...labels].sort());
    }
    expect(m.value('snaptier_backup_last_success_timestamp_seconds', { volume: 'v1' })).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(m.value('snaptier_backup_bytes_read_total', { volume: 'v1' })).toBeGreaterThanOrEqual(2 * (2 * MiB + 512));
    expect(m.value('snaptier_store_requests_total', { repository: 'main', op: 'put' })).toBeGreaterThan(0);
    expect(m.value('snaptier_store_requests_total', { repository: 'dr', op: 'put' })).toBeGreaterThan(0);
    expect(m.value('snaptier_snapshots', { volume: 'v1' })).toBeGreaterThanOrEqual(1);
    if (!onPath('promtool')) throw new Error('promtool is missing: apt-get install prometheus');
    const file = join(tmp.path, 'metrics.txt');
    await writeFile(file, text);
    const r = await exec('sh', ['-c', `promtool check metrics < ${file}`]).catch((e) => e);
    expect(r.code ?? 0, `${r.stdout}${r.stderr}`).toBe(0);
  });
});

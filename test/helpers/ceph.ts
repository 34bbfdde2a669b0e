// Starts a one-node Ceph cluster with a RADOS Gateway (../shared/ceph/ceph-up.sh: a monitor, one
// in-memory OSD, radosgw) on free ports of 127.0.0.1, and stops it again. Needs root and Debian's
// ceph-mon, ceph-osd, radosgw and ceph-common packages; takes about 30 s.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './cli.js';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
// Beside the repository; a git worktree elsewhere names them with SNAPTIER_CEPH_SCRIPTS.
const SCRIPTS = process.env.SNAPTIER_CEPH_SCRIPTS ?? resolve(REPO, '../shared/ceph');
export const CEPH_PACKAGES = 'apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common';

export interface CephCluster {
  /** The variables ceph-up.sh printed (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, CEPH_S3_ENDPOINT). */
  env: Record<string, string>;
  /** The cluster's ceph.conf, for the ceph and rbd command-line tools (auth is off). */
  conf: string;
  stop: () => Promise<void>;
}

export function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * One cluster at a time on this machine: two starting at once (two test files in parallel
 * forks) made ceph-up.sh fail under load ("wrong fsid"). The second waits for the first's stop.
 */
const CLUSTER_LOCK = join(tmpdir(), 'snaptier-ceph.lock');
const LOCK_WAIT_MS = 360_000;

async function takeClusterLock(): Promise<void> {
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(CLUSTER_LOCK);
      await writeFile(join(CLUSTER_LOCK, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(await readFile(join(CLUSTER_LOCK, 'pid'), 'utf8').catch(() => '0'));
    if (holder > 0 && !alive(holder)) await rm(CLUSTER_LOCK, { recursive: true, force: true }); // left by a killed run
    if (Date.now() > until) throw new Error(`another Ceph cluster of the tests held ${CLUSTER_LOCK} for ${LOCK_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const CEPH_ATTEMPTS = 4;

export async function startCeph(): Promise<CephCluster> {
  await takeClusterLock();
  try {
    // ceph-up.sh fails now and then under load (the OSD's first command to the monitor gets
    // "wrong fsid"): another try on a fresh directory and ports, after a pause that lets the
    // load of the other test files pass, gets past it. Seen failing twice in a row (stop 11).
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOnce();
      } catch (err) {
        if (attempt >= CEPH_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 3000 * attempt));
      }
    }
  } catch (err) {
    await rm(CLUSTER_LOCK, { recursive: true, force: true });
    throw err;
  }
}

async function startOnce(): Promise<CephCluster> {
  const dir = await tempDir('snaptier-ceph-');
  const down = async (): Promise<void> => {
    // ceph-down.sh removes the directory itself; cleanup() covers a start that failed before it.
    await run('bash', [join(SCRIPTS, 'ceph-down.sh'), dir.path], { cwd: REPO }).catch(() => {});
    await dir.cleanup();
  };
  try {
    const port = await freePortPair();
    const { stdout } = await run('bash', [join(SCRIPTS, 'ceph-up.sh'), dir.path, String(port)], { cwd: REPO, timeout: 240_000 });
    const stop = async (): Promise<void> => {
      await down();
      await rm(CLUSTER_LOCK, { recursive: true, force: true });
    };
    return { env: parseExports(stdout), conf: join(dir.path, 'ceph.conf'), stop };
  } catch (err) {
    const log = await readFile(join(dir.path, 'log', 'setup.log'), 'utf8').catch(() => '');
    await down();
    throw new Error(`${(err as Error).message}${log ? `\nsetup.log: ${log.slice(-2000)}` : ''}`, { cause: err });
  }
}

/** `export A=1 B=2` lines into { A: '1', B: '2' }. */
function parseExports(stdout: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('export ')) continue;
    for (const pair of line.slice('export '.length).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  if (!env.CEPH_S3_ENDPOINT) throw new Error(`ceph-up.sh printed no CEPH_S3_ENDPOINT: ${stdout}`);
  return env;
}

/** A port P with P + 1 also free: the gateway listens on P, the monitor on P + 1. */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await listenFree(0);
    if (
      port < 65535 &&
      (await listenFree(port + 1).then(
        () => true,
        () => false,
      ))
    )
      return port;
  }
  throw new Error('no two adjacent free ports found');
}

function listenFree(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const got = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(got));
    });
  });
}

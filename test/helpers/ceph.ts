// Starts a one-node Ceph cluster with a RADOS Gateway (../shared/ceph/ceph-up.sh: a monitor, one
// in-memory OSD, radosgw) on free ports of 127.0.0.1, and stops it again. Needs root and Debian's
// ceph-mon, ceph-osd, radosgw and ceph-common packages; takes about 30 s.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './cli.js';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const SCRIPTS = resolve(REPO, '../shared/ceph');
export const CEPH_PACKAGES = 'apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common';

export interface CephCluster {
  /** The variables ceph-up.sh printed (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, CEPH_S3_ENDPOINT). */
  env: Record<string, string>;
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

export async function startCeph(): Promise<CephCluster> {
  const dir = await tempDir('snaptier-ceph-');
  // ceph-down.sh removes the directory itself; cleanup() covers a start that failed before it.
  const stop = async (): Promise<void> => {
    await run('bash', [join(SCRIPTS, 'ceph-down.sh'), dir.path], { cwd: REPO }).catch(() => {});
    await dir.cleanup();
  };
  try {
    const port = await freePortPair();
    const { stdout } = await run('bash', [join(SCRIPTS, 'ceph-up.sh'), dir.path, String(port)], { cwd: REPO, timeout: 240_000 });
    return { env: parseExports(stdout), stop };
  } catch (err) {
    await stop();
    throw err;
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

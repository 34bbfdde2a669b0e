// The --s3 mode's store: a throw-away Ceph cluster with a RADOS Gateway on 127.0.0.1, started
// with the scripts the tests use (scripts/ceph-up.sh, ceph-down.sh) on a free port pair, and the
// same machine-wide lock the test helper takes (two clusters starting at once fail under load).
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOCK = join(tmpdir(), 'snaptier-ceph.lock');
const LOCK_WAIT_MS = 600_000;
const ATTEMPTS = 3;
export const CEPH_HINT = 'Ceph not found: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common';

/** Starts the cluster; resolves with { endpoint, env (AWS_*), stop() }. stop() is idempotent. */
export async function startCeph(log) {
  await takeLock(log);
  let lastErr;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'snaptier-bench-ceph-'));
    const down = async () => {
      await run('bash', [join(ROOT, 'scripts', 'ceph-down.sh'), dir], { cwd: ROOT }).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      const port = await freePortPair();
      log(`starting Ceph RGW on 127.0.0.1:${port} (attempt ${attempt})`);
      const { stdout } = await run('bash', [join(ROOT, 'scripts', 'ceph-up.sh'), dir, String(port)], { cwd: ROOT, timeout: 300_000 });
      const env = parseExports(stdout);
      let stopped = false;
      const stop = async () => {
        if (stopped) return;
        stopped = true;
        await down();
        releaseLock();
      };
      return { endpoint: env.CEPH_S3_ENDPOINT, env, stop, dir };
    } catch (e) {
      lastErr = e;
      let setup = '';
      try {
        setup = readFileSync(join(dir, 'log', 'setup.log'), 'utf8').slice(-1500);
      } catch {}
      log(`Ceph did not start: ${e.message.split('\n')[0]}${setup ? `\n${setup}` : ''}`);
      await down();
      await new Promise((r) => setTimeout(r, 3000 * attempt));
    }
  }
  releaseLock();
  throw new Error(`Ceph RGW did not start after ${ATTEMPTS} attempts: ${lastErr?.message}`);
}

/** Synchronous last resort (process exit): stop what ceph-up.sh started in `dir`, free the lock. */
export function stopCephSync(dir) {
  try {
    spawnSync('bash', [join(ROOT, 'scripts', 'ceph-down.sh'), dir], { cwd: ROOT });
  } catch {}
  releaseLock();
}

let held = false;
async function takeLock(log) {
  const until = Date.now() + LOCK_WAIT_MS;
  let said = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      held = true;
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    } catch {}
    if (holder > 0 && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
    if (Date.now() > until) throw new Error(`another test Ceph cluster held ${LOCK} for ${LOCK_WAIT_MS / 1000} s`);
    if (!said) log(`waiting for ${LOCK} (a test's Ceph cluster, pid ${holder})`);
    said = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function releaseLock() {
  if (!held) return;
  held = false;
  rmSync(LOCK, { recursive: true, force: true });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parseExports(stdout) {
  const env = {};
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('export ')) continue;
    for (const pair of line.slice(7).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  if (!env.CEPH_S3_ENDPOINT) throw new Error(`ceph-up.sh printed no CEPH_S3_ENDPOINT: ${stdout}`);
  return env;
}

/** A port P with P + 1 also free: the gateway listens on P, the monitor on P + 1. */
async function freePortPair() {
  for (let i = 0; i < 20; i++) {
    const port = await listenFree(0);
    if (port < 65535 && (await listenFree(port + 1).then(() => true, () => false))) return port;
  }
  throw new Error('no two adjacent free ports found');
}

function listenFree(port) {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(port, '127.0.0.1', () => {
      const got = srv.address().port;
      srv.close(() => res(got));
    });
  });
}

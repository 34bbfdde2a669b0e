// Measuring commands and their effects: a child process's wall time, CPU and peak RSS (GNU
// time, or /proc polling without it), the bytes and files a repository directory gained, file
// hashes and comparisons, and warming the page cache.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = 16 << 20;
const GNU_TIME = '/usr/bin/time';

/** Whether /usr/bin/time is GNU time (it understands -f and -o). */
export const haveGnuTime = (() => {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['-f', '%M', process.execPath, '-e', '0'], { encoding: 'utf8' });
  return r.status === 0 && /^\d+\s*$/m.test(r.stderr);
})();

let seq = 0;
let idleWaitS = 0;

/** Before each measured command, wait up to `s` seconds for the rest of the machine to go quiet. */
export function setIdleWait(s) {
  idleWaitS = s;
}

/**
 * Waits until the machine's non-idle CPU over one second is below `cores` (other processes:
 * this one is idle while waiting), for at most `maxS` seconds. Resolves with the seconds waited.
 */
export async function waitIdle(maxS, cores = 0.25) {
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < maxS) {
    const a = busyJiffies();
    await new Promise((r) => setTimeout(r, 1000));
    const b = busyJiffies();
    if (a === null || b === null || (b - a) / 100 < cores) break;
  }
  return (performance.now() - t0) / 1000;
}

/** Quotes a command line for messages, so it can be pasted into a shell. */
export function shellLine(cmd, args, env = {}) {
  const q = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replaceAll("'", "'\\''")}'`);
  const pre = Object.entries(env).map(([k, v]) => `${k}=${q(v)}`);
  return [...pre, q(cmd), ...args.map(q)].join(' ');
}

/**
 * Runs one command as a child process and measures it. Resolves (never rejects on a non-zero
 * exit) with { code, signal, stdout, stderr, wallS, userS, sysS, cpuS, rssKiB, approx, load }
 * (load: the 1-minute load average before and after; othersCores: CPU the rest of the machine
 * used during the command, in cores).
 * wallS is performance.now() around the spawn; CPU and peak RSS come from GNU time
 * (`-f '%e %U %S %M'`), or, without it, from polling /proc/PID (approximate).
 */
export async function measure(cmd, args, opts = {}) {
  // Write back what earlier steps left dirty (repositories, images) first, so a command that
  // fsyncs (snaptier's restore and pack writes do; restic 0.14's restore does not) is not
  // charged for the previous command's writeback.
  spawnSync('sync');
  const waitedS = idleWaitS > 0 ? await waitIdle(idleWaitS) : 0;
  const res = await measureNow(cmd, args, opts);
  res.waitedS = waitedS;
  return res;
}

function measureNow(cmd, args, { env, cwd } = {}) {
  const timeFile = join(tmpdir(), `snaptier-bench-time-${process.pid}-${++seq}`);
  const useTime = haveGnuTime;
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, '--', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const loadBefore = loadavg()[0];
    const busyBefore = busyJiffies();
    const t0 = performance.now();
    const child = spawn(file, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let poll = null;
    const proc = { hwmKiB: 0, ticks: 0 };
    if (!useTime) {
      const tick = () => pollProc(child.pid, proc);
      poll = setInterval(tick, 20);
    }
    child.on('error', (e) => {
      if (poll) clearInterval(poll);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      const wallS = (performance.now() - t0) / 1000;
      if (poll) clearInterval(poll);
      const res = { code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallS, approx: !useTime, load: { before: loadBefore, after: loadavg()[0] } };
      if (useTime) {
        let text = '';
        try {
          text = readFileSync(timeFile, 'utf8');
          rmSync(timeFile, { force: true });
        } catch {}
        const lines = text.trim().split('\n');
        const last = lines[lines.length - 1] ?? '';
        const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last.trim());
        if (m) {
          res.userS = Number(m[2]);
          res.sysS = Number(m[3]);
          res.rssKiB = Number(m[4]);
        }
        const sig = lines.find((l) => l.startsWith('Command terminated by signal'));
        if (sig) res.signal = sig;
        // GNU time exits with the child's status (or 128+signal).
      } else {
        const hz = 100;
        res.userS = proc.ticks / hz; // user+sys together (last poll before exit)
        res.sysS = 0;
        res.rssKiB = proc.hwmKiB;
      }
      res.cpuS = (res.userS ?? Number.NaN) + (res.sysS ?? 0);
      // CPU the rest of the machine used meanwhile, in cores (all CPU time minus the command's).
      const busy = busyJiffies();
      if (busy !== null && busyBefore !== null) res.othersCores = Math.max(0, ((busy - busyBefore) / 100 - res.cpuS) / wallS);
      resolve(res);
    });
  });
}

/** Non-idle CPU time of the whole machine so far, in USER_HZ ticks (100 a second), or null. */
export function busyJiffies() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  } catch {
    return null;
  }
}

function pollProc(pid, acc) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) acc.hwmKiB = Math.max(acc.hwmKiB, Number(m[1]));
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    acc.ticks = Number(fields[11]) + Number(fields[12]);
  } catch {}
}

/** Every regular file under `dir` with its apparent size: Map(relative path -> bytes). */
export async function listFiles(dir) {
  const files = new Map();
  async function walk(d, rel) {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if (e.code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p, r);
      else if (e.isFile()) {
        try {
          files.set(r, (await stat(p)).size);
        } catch (err) {
          if (err.code !== 'ENOENT') throw err;
        }
      }
    }
  }
  await walk(dir, '');
  return files;
}

/** What a repository gained between two listings: apparent bytes and files added. */
export function repoDelta(before, after) {
  let bytes = 0;
  let added = 0;
  for (const [p, size] of after) {
    const old = before.get(p);
    if (old === undefined) added++;
    bytes += size - (old ?? 0);
  }
  for (const [p, size] of before) if (!after.has(p)) bytes -= size;
  return { storedBytes: bytes, objects: added };
}

export function totalBytes(files) {
  let n = 0;
  for (const s of files.values()) n += s;
  return n;
}

/** Reads files once and throws the bytes away (like `cat FILE > /dev/null`): a warm page cache. */
export function warm(...paths) {
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      let pos = 0;
      let n;
      while ((n = readSync(fd, buf, 0, CHUNK, pos)) > 0) pos += n;
    } finally {
      closeSync(fd);
    }
  }
}

export function sha256File(path) {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  try {
    let pos = 0;
    let n;
    while ((n = readSync(fd, buf, 0, CHUNK, pos)) > 0) {
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/**
 * Compares two files byte for byte (16 MiB reads; fast on sparse files where hashing is not).
 * Returns null when identical, else a sentence saying where they differ.
 */
export function compareFiles(a, b, onProgress) {
  const sa = statSync(a).size;
  const sb = statSync(b).size;
  if (sa !== sb) return `sizes differ: ${sa} vs ${sb} bytes`;
  const ba = Buffer.allocUnsafe(CHUNK);
  const bb = Buffer.allocUnsafe(CHUNK);
  const fa = openSync(a, 'r');
  const fb = openSync(b, 'r');
  try {
    for (let pos = 0; pos < sa; pos += CHUNK) {
      const len = Math.min(CHUNK, sa - pos);
      readFull(fa, ba, len, pos);
      readFull(fb, bb, len, pos);
      if (!ba.subarray(0, len).equals(bb.subarray(0, len))) {
        let i = 0;
        while (ba[i] === bb[i]) i++;
        return `first difference at byte ${pos + i}`;
      }
      if (onProgress && pos % (4096 * CHUNK) === 0 && pos > 0) onProgress(pos, sa);
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
  return null;
}

function readFull(fd, buf, len, pos) {
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) throw new Error(`short read at ${pos + got}`);
    got += n;
  }
}

/** Bytes actually allocated on disk for a file (st_blocks x 512), as `du` reports them. */
export function allocatedBytes(path) {
  return statSync(path).blocks * 512;
}

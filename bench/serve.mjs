// Instant restore figures (`snaptier serve`): time to first byte, nbdcopy throughput against a
// plain `restore` of the same snapshot, and the server's peak RSS under each cache cap.
//   node bench/serve.mjs [--size-mib 512] [--caps 16,64,256] [--dir DIR]
// Needs nbdcopy (libnbd-bin) and qemu-io (qemu-utils). Builds nothing: run `npm run build` first.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MiB, writeImage } from './image.mjs';
import { measure, sha256File } from './measure.mjs';
import { DEFAULT_BIN, PASSWORD, snaptier } from './snaptier.mjs';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string' }, caps: { type: 'string' }, dir: { type: 'string' } } });
const size = Number(values['size-mib'] ?? 512) * MiB;
const caps = (values.caps ?? '16,64,256').split(',').map(Number);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'snaptier-bench-serve-'));
const env = { ...process.env, SNAPTIER_PASSWORD: PASSWORD };
delete env.SNAPTIER_KDF_LOG2N;

/** Starts serve; resolves once it listens, with its process, the ms to listening and a stop(). */
function startServe(repo, sock, cacheMib) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [DEFAULT_BIN, 'serve', '--repo', repo, '--volume', 'bench', '--snapshot', 'latest', '--listen', `unix:${sock}`, '--cache-mib', String(cacheMib), '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  const ended = new Promise((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      if (/serving .* on unix:/.test(err)) {
        resolve({
          t0,
          listeningMs: performance.now() - t0,
          uri: `nbd+unix:///?socket=${sock}`,
          /** Peak RSS so far (VmHWM), in MiB. */
          peakMiB: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
          stop: async () => {
            child.kill('SIGTERM');
            await ended;
            return JSON.parse(out);
          },
        });
      }
    });
    void ended.then((code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

async function tool(cmd, args) {
  const r = await measure(cmd, args, { env });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return r;
}

try {
  const st = snaptier();
  const repo = join(dir, 'repo');
  const image = join(dir, 'image');
  writeImage(image, size, 1);
  await st.init(repo);
  await st.backup(repo, 'bench', image);
  const want = await sha256File(image);
  rmSync(image);

  const restored = join(dir, 'restored');
  const restore = await st.restore(repo, 'bench', 'latest', restored);
  if ((await sha256File(restored)) !== want) throw new Error('restore is not bit-exact');
  rmSync(restored);

  // Time to first byte: from starting the server process to a 4 KiB read answered to a client.
  const s0 = await startServe(repo, join(dir, 'ttfb.sock'), 64);
  await tool('qemu-io', ['-f', 'raw', '-r', '-c', 'read 104857600 4096', s0.uri]);
  const ttfbMs = performance.now() - s0.t0;
  const s0sum = await s0.stop();

  const rows = [];
  for (const cap of caps) {
    const s = await startServe(repo, join(dir, `copy-${cap}.sock`), cap);
    const copy = join(dir, 'copy');
    const c = await tool('nbdcopy', [s.uri, copy]);
    const peak = s.peakMiB();
    const sum = await s.stop();
    if ((await sha256File(copy)) !== want) throw new Error('nbdcopy is not bit-exact');
    rmSync(copy);
    rows.push({ cacheMib: cap, nbdcopyS: c.wallS, mibPerS: size / MiB / c.wallS, peakRssMiB: peak, cachedMiB: sum.cache.cachedBytes / MiB, storeRequests: sum.requests, cacheHits: sum.cache.cacheHits, cacheMisses: sum.cache.cacheMisses });
  }

  const doc = {
    sizeMiB: size / MiB,
    restore: { wallS: restore.wallS, mibPerS: size / MiB / restore.wallS, peakRssMiB: restore.rssKiB / 1024 },
    timeToFirstByte: { processStartToReadMs: ttfbMs, processStartToListeningMs: s0.listeningMs, servingToFirstReadMs: s0sum.firstReadMs },
    nbdcopy: rows,
  };
  console.log(JSON.stringify(doc, null, 2));
  console.log(`\nsnapshot ${size / MiB} MiB; restore ${restore.wallS.toFixed(2)} s (${doc.restore.mibPerS.toFixed(0)} MiB/s, peak RSS ${doc.restore.peakRssMiB.toFixed(0)} MiB)`);
  console.log(`time to first byte: ${ttfbMs.toFixed(0)} ms from process start (listening after ${s0.listeningMs.toFixed(0)} ms; first READ ${s0sum.firstReadMs} ms after serving began)`);
  console.log('cache cap | nbdcopy s | MiB/s | peak RSS MiB | store requests');
  for (const r of rows) console.log(`${String(r.cacheMib).padStart(9)} | ${r.nbdcopyS.toFixed(2).padStart(9)} | ${r.mibPerS.toFixed(0).padStart(5)} | ${r.peakRssMiB.toFixed(0).padStart(12)} | ${r.storeRequests}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

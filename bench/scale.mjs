// The scale mode (snaptier only): a large sparse volume with a few MiB of data (full backup, a
// snapshot with no change, restore), then a chain of snapshots and the restore time of its first
// snapshot against its last.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PACK_SIZE, figures, median } from './compare.mjs';
import { MiB, Rng, alignedBuffer, applyWrites, mix, writeImage, writeSparse } from './image.mjs';
import { allocatedBytes, compareFiles, sha256File } from './measure.mjs';
import { fmt, markdownTable, verdict, verdictCell } from './table.mjs';

const RSS_LIMIT_KIB = 256 * 1024;
const NO_CHANGE_LIMIT = 64 * 1024;
const PIECE = 64 * 1024;

export async function scaleMode({ work, seed, st, log, sparseGiB = 64, sparseDataMiB = 4, chainLength = 100, chainMiB = 256, chainBlocks = 32, restoreReps = 3 }) {
  const img = join(work, 'img');
  const repos = join(work, 'repos');
  const restoreDir = join(work, 'restore');
  for (const d of [img, repos, restoreDir]) mkdirSync(d, { recursive: true });
  const failures = [];
  const notes = [];
  const rows = [];
  const fail = (what, e) => {
    const msg = `${what}: ${e.message ?? e}`;
    failures.push(msg);
    log(`FAIL ${msg}`);
  };
  const others = []; // [label, cores] of every measured command
  const say = (what, r) => {
    others.push([what, r.othersCores]);
    log(`${what}: ${fmt.s(r.wallS)} s wall, ${fmt.s(r.cpuS)} s CPU, ${fmt.rssMiB(r.rssKiB)} MiB peak RSS` + (r.storedBytes !== undefined ? `, +${fmt.bytes(r.storedBytes)} in ${r.objects} files` : '') + `; others used ${fmt.cores(r.othersCores)} cores` + (r.waitedS >= 1.5 ? ` (waited ${r.waitedS.toFixed(0)} s for quiet)` : ''));
  };
  const rssCheck = (r) => verdict('RSS', `${fmt.rssMiB(r.rssKiB)} MiB`, r.rssKiB <= RSS_LIMIT_KIB);
  const objectsRule = (stored, objects) => {
    const max = Math.ceil(stored / PACK_SIZE) + 5;
    return verdict('objects', `${objects}/${max}`, objects <= max);
  };

  // --- the sparse volume --------------------------------------------------------------------
  const sparseSize = sparseGiB * 2 ** 30;
  const sparse = join(img, 'sparse.img');
  const pieces = Math.round((sparseDataMiB * MiB) / PIECE);
  writeSparse(sparse, sparseSize, seed, pieces, PIECE);
  log(`sparse volume: ${sparseGiB} GiB, ${pieces} x 64 KiB random pieces at seeded places (${fmt.bytes(pieces * PIECE)}), ${fmt.bytes(allocatedBytes(sparse))} allocated`);
  const repo = join(repos, 'snaptier-sparse');
  let sparseOk = true;
  try {
    await st.init(repo);
  } catch (e) {
    fail('init', e);
    sparseOk = false;
  }
  const label = `${sparseGiB} GiB sparse`;

  if (sparseOk) {
    log(`snaptier: full backup of the ${label} volume (not pre-read: it would not fit the page cache)`);
    try {
      const r = await st.backup(repo, 'sparse', sparse);
      say('full backup', r);
      rows.push({
        label: `${label}: full backup`,
        res: r,
        uploaded: r.json?.bytesUploaded,
        other: `bytesRead ${fmt.bytes(r.json?.bytesRead)}`,
        target: 'RSS <= 256 MiB',
        checks: [rssCheck(r)],
      });
    } catch (e) {
      fail(`${label} full backup`, e);
      rows.push({ label: `${label}: full backup`, target: 'RSS <= 256 MiB', checks: [{ text: 'FAIL (see below)', ok: false }] });
      sparseOk = false;
    }
  }
  if (sparseOk) {
    log('snaptier: snapshot with no change (--changed-extents [])');
    try {
      const r = await st.backup(repo, 'sparse', sparse, { changedExtents: [] });
      say('no-change snapshot', r);
      rows.push({
        label: `${label}: snapshot, no change (--changed-extents [])`,
        res: r,
        uploaded: r.json?.bytesUploaded,
        other: `written: ${r.storedBytes} B`,
        target: 'written <= 64 KiB; objects <= ceil(stored/16 MiB)+5; RSS <= 256 MiB',
        checks: [verdict('written', `${r.storedBytes} B`, r.storedBytes <= NO_CHANGE_LIMIT), objectsRule(r.storedBytes, r.objects), rssCheck(r)],
      });
    } catch (e) {
      fail(`${label} no-change snapshot`, e);
      rows.push({ label: `${label}: snapshot, no change`, target: 'written <= 64 KiB', checks: [{ text: 'FAIL (see below)', ok: false }] });
    }
    const target = join(restoreDir, 'sparse.img');
    rmSync(target, { force: true });
    log(`snaptier: restore of the ${label} volume`);
    try {
      const r = await st.restore(repo, 'sparse', 'latest', target);
      say('restore', r);
      const alloc = allocatedBytes(target);
      log(`restored target: ${fmt.bytes(alloc)} allocated; comparing with the source byte for byte (reads 2 x ${sparseGiB} GiB, not timed)`);
      const t = performance.now();
      const diff = compareFiles(sparse, target, (pos, total) => log(`  compared ${fmt.bytes(pos)} of ${fmt.bytes(total)}`));
      log(diff ? `FAIL restored sparse volume differs: ${diff}` : `restored sparse volume identical (${((performance.now() - t) / 1000).toFixed(0)} s to compare)`);
      const checks = [rssCheck(r)];
      if (diff) {
        failures.push(`snaptier restore of the ${label} volume: restored image differs from the source: ${diff}`);
        checks.unshift({ text: 'FAIL: restored image differs', ok: false });
      }
      const sparseKept = alloc <= 4 * allocatedBytes(sparse) + 4 * MiB;
      rows.push({
        label: `${label}: restore`,
        res: r,
        other: `target ${fmt.bytes(alloc)} allocated (source ${fmt.bytes(allocatedBytes(sparse))})${sparseKept ? ', sparse' : ', NOT sparse'}; ${diff ? 'DIFFERS' : 'identical'}`,
        target: 'RSS <= 256 MiB; target stays sparse (reported)',
        checks,
      });
    } catch (e) {
      fail(`${label} restore`, e);
      rows.push({ label: `${label}: restore`, target: 'RSS <= 256 MiB', checks: [{ text: 'FAIL (see below)', ok: false }] });
    }
    rmSync(target, { force: true });
  }
  rmSync(sparse, { force: true });

  // --- the chain ----------------------------------------------------------------------------
  const chainSize = chainMiB * MiB;
  const curImg = join(img, 'chain-cur.img');
  const prevImg = join(img, 'chain-prev.img');
  const chainRepo = join(repos, 'snaptier-chain');
  writeImage(curImg, chainSize, mix(seed, 100));
  copyFileSync(curImg, prevImg);
  const firstHash = sha256File(curImg);
  // Each step rewrites blocks that hold data in snapshot 1 (as a database rewrites its pages),
  // so every snapshot of the chain holds as much data as the first, and restoring snapshot 100
  // against snapshot 1 measures what the chain costs, not what more data costs.
  const dataBlocks = nonZeroBlocks(curImg);
  log(`chain: ${chainLength} snapshots of a ${chainMiB} MiB volume (same content mix, ${dataBlocks.length} of its 4 KiB blocks hold data), each step rewrites ${chainBlocks} scattered ones of those, backed up with --previous-source`);
  const steps = [];
  let firstId = null;
  let lastId = null;
  let chainOk = true;
  try {
    await st.init(chainRepo);
    const r = await st.backup(chainRepo, 'chain', curImg);
    firstId = r.json.snapshot;
    lastId = firstId;
    steps.push(r);
    say('chain snapshot 1 (full)', r);
  } catch (e) {
    fail('chain: first backup', e);
    chainOk = false;
  }
  const rng = new Rng(mix(seed, 101));
  const tChain = performance.now();
  for (let i = 2; chainOk && i <= chainLength; i++) {
    const writes = pickDistinct(dataBlocks, chainBlocks, rng).map((offset) => ({ offset, data: rng.fill(alignedBuffer(BLOCK)) }));
    applyWrites(curImg, writes);
    try {
      const r = await st.backup(chainRepo, 'chain', curImg, { previousSource: prevImg });
      steps.push(r);
      others.push([`chain snapshot ${i}`, r.othersCores]);
      lastId = r.json.snapshot;
    } catch (e) {
      fail(`chain: snapshot ${i}`, e);
      chainOk = false;
      break;
    }
    applyWrites(prevImg, writes);
    if (i % 10 === 0 || i === chainLength) {
      const recent = steps.slice(-10);
      log(`chain: ${i}/${chainLength} snapshots; last 10: median ${fmt.s(median(recent.map((s) => s.wallS)))} s wall, max ${fmt.rssMiB(Math.max(...recent.map((s) => s.rssKiB)))} MiB RSS, +${fmt.bytes(recent.reduce((a, s) => a + s.storedBytes, 0))} stored (${((performance.now() - tChain) / 1000).toFixed(0)} s so far)`);
    }
  }
  const incr = steps.slice(1);
  if (incr.length) {
    const worst = incr.reduce((a, s) => (s.objects - Math.ceil(s.storedBytes / PACK_SIZE) > a.objects - Math.ceil(a.storedBytes / PACK_SIZE) ? s : a));
    const maxRss = Math.max(...incr.map((s) => s.rssKiB));
    const stored = incr.reduce((a, s) => a + s.storedBytes, 0);
    rows.push({
      label: `chain: ${incr.length} incrementals (${chainBlocks} x 4 KiB, --previous-source)`,
      res: { wallS: median(incr.map((s) => s.wallS)), cpuS: median(incr.map((s) => s.cpuS)), rssKiB: maxRss, storedBytes: stored, objects: incr.reduce((a, s) => a + s.objects, 0) },
      uploaded: incr.reduce((a, s) => a + (s.json?.bytesUploaded ?? 0), 0),
      other: `median per step; RSS max; bytes and objects summed (${fmt.bytes(stored / incr.length)} per step for ${fmt.bytes(chainBlocks * 4096)} changed)`,
      target: 'objects <= ceil(stored/16 MiB)+5 each step; RSS <= 256 MiB',
      checks: [objectsRule(worst.storedBytes, worst.objects), verdict('RSS', `${fmt.rssMiB(maxRss)} MiB`, maxRss <= RSS_LIMIT_KIB)],
    });
  }

  if (chainOk && firstId && lastId) {
    const lastHash = sha256File(curImg);
    const t1 = join(restoreDir, 'chain-1.img');
    const tn = join(restoreDir, `chain-${chainLength}.img`);
    const runs = { first: [], last: [] };
    try {
      for (let rep = 0; rep < restoreReps; rep++) {
        for (const [key, id, target] of [['first', firstId, t1], ['last', lastId, tn]]) {
          rmSync(target, { force: true });
          const r = await st.restore(chainRepo, 'chain', id, target);
          runs[key].push(r);
          say(`chain: restore of snapshot ${key === 'first' ? 1 : chainLength} (run ${rep + 1}/${restoreReps})`, r);
          if (rep === 0) {
            const want = key === 'first' ? firstHash : lastHash;
            const got = sha256File(target);
            if (got !== want) {
              const msg = `FAIL snaptier restore of chain snapshot ${key === 'first' ? 1 : chainLength} (${id}): restored image differs from the source`;
              failures.push(msg);
              log(msg);
            } else log(`chain: snapshot ${key === 'first' ? 1 : chainLength} restored identical`);
          }
          rmSync(target, { force: true });
        }
      }
      // The same image backed up as one snapshot, restored the same way: what snapshot 100
      // would cost without the chain behind it.
      const flatRepo = join(repos, 'snaptier-chain-flat');
      await st.init(flatRepo);
      await st.backup(flatRepo, 'chain', curImg);
      runs.flat = [];
      for (let rep = 0; rep < restoreReps; rep++) {
        rmSync(tn, { force: true });
        const r = await st.restore(flatRepo, 'chain', 'latest', tn);
        runs.flat.push(r);
        say(`chain: restore of snapshot ${chainLength}'s image backed up as one snapshot (run ${rep + 1}/${restoreReps})`, r);
        if (rep === 0 && sha256File(tn) !== lastHash) {
          const msg = `FAIL snaptier restore of the one-snapshot copy of chain snapshot ${chainLength}: restored image differs from the source`;
          failures.push(msg);
          log(msg);
        }
      }
      rmSync(tn, { force: true });
      const m1 = median(runs.first.map((r) => r.wallS));
      const mn = median(runs.last.map((r) => r.wallS));
      const mf = median(runs.flat.map((r) => r.wallS));
      const dataOf = (list) => list[0]?.json?.bytesData;
      const agg = (list) => ({ wallS: median(list.map((r) => r.wallS)), cpuS: median(list.map((r) => r.cpuS)), rssKiB: Math.max(...list.map((r) => r.rssKiB)), line: list[0].line });
      rows.push({ label: 'chain: restore of snapshot 1', res: agg(runs.first), other: `median of ${restoreReps}: ${runs.first.map((r) => fmt.s(r.wallS)).join(', ')} s; ${fmt.bytes(dataOf(runs.first))} of data written`, target: 'RSS <= 256 MiB', checks: [rssCheck(agg(runs.first))] });
      rows.push({
        label: `chain: restore of snapshot ${chainLength}'s image backed up as one snapshot`,
        res: agg(runs.flat),
        other: `median of ${restoreReps}: ${runs.flat.map((r) => fmt.s(r.wallS)).join(', ')} s; ${fmt.bytes(dataOf(runs.flat))} of data written`,
        target: 'RSS <= 256 MiB (reference for the row below)',
        checks: [rssCheck(agg(runs.flat))],
      });
      rows.push({
        label: `chain: restore of snapshot ${chainLength}`,
        res: agg(runs.last),
        other: `median of ${restoreReps}: ${runs.last.map((r) => fmt.s(r.wallS)).join(', ')} s; CPU ${fmt.ratio(agg(runs.last).cpuS / agg(runs.first).cpuS)} snapshot 1; ${fmt.bytes(dataOf(runs.last))} of data written; wall ${fmt.ratio(mn / mf)} the same image as one snapshot`,
        target: `wall <= 1.1x snapshot 1; RSS <= 256 MiB`,
        checks: [verdict('wall', `${fmt.ratio(mn / m1)} snapshot 1`, mn <= 1.1 * m1), rssCheck(agg(runs.last))],
      });
    } catch (e) {
      fail('chain restore', e);
    }
  }
  rmSync(curImg, { force: true });
  rmSync(prevImg, { force: true });

  const table = markdownTable(
    ['row', 'wall s', 'CPU s', 'peak RSS MiB', 'uploaded (--json)', 'stored (du)', 'objects', 'notes', 'target', 'PASS/MISS'],
    rows.map((r) => [
      r.label,
      fmt.s(r.res?.wallS),
      fmt.s(r.res?.cpuS),
      fmt.rssMiB(r.res?.rssKiB),
      r.uploaded === undefined ? '-' : fmt.bytes(r.uploaded),
      r.res?.storedBytes === undefined ? '-' : fmt.bytes(r.res.storedBytes),
      r.res?.objects === undefined ? '-' : fmt.int(r.res.objects),
      r.other ?? '',
      r.target,
      verdictCell(r.checks),
    ]),
    'lrrrrrrlll',
  );
  notes.push('scale mode runs snaptier only (restic is not run); the sparse volume is not pre-read; the chain images are freshly written, so in the page cache.');
  if (others.length) {
    const chain = others.filter(([w]) => w.startsWith('chain snapshot')).map(([, c]) => c);
    const rest = others.filter(([w]) => !w.startsWith('chain snapshot') || w.includes('(full)'));
    notes.push(
      `CPU used by other processes on this ${availableParallelism()}-core machine during each measured command (cores; above ~0.2 the wall times are inflated): ` +
        rest.map(([w, c]) => `${w}: ${fmt.cores(c)}`).join('; ') +
        (chain.length ? `; chain incrementals: median ${fmt.cores(median(chain))}, max ${fmt.cores(Math.max(...chain))}` : '') +
        '.',
    );
  }
  notes.push(`restore verification: the ${sparseGiB} GiB restore is compared byte for byte with its source (SHA-256 of 2 x ${sparseGiB} GiB would take minutes); the chain restores by SHA-256.`);
  const json = rows.map((r) => ({ row: r.label, target: r.target, verdicts: r.checks.map((c) => c.text), figures: figures(r.res), uploadedBytes: r.uploaded ?? null, notes: r.other ?? null }));
  const chainSteps = steps.map((s, i) => ({ n: i + 1, snapshot: s.json?.snapshot, wallS: s.wallS, cpuS: s.cpuS, peakRssKiB: s.rssKiB, storedBytes: s.storedBytes, objects: s.objects, bytesUploaded: s.json?.bytesUploaded }));
  return { table, notes, rows: json, failures, extra: { chainSteps } };
}

const BLOCK = 4096;

/** Offsets of the 4 KiB blocks of a file that are not all zeros. */
function nonZeroBlocks(path) {
  const data = readFileSync(path);
  const out = [];
  for (let off = 0; off < data.length; off += BLOCK) {
    const end = Math.min(off + BLOCK, data.length);
    for (let i = off; i < end; i++) {
      if (data[i] !== 0) {
        out.push(off);
        break;
      }
    }
  }
  return out;
}

/** `count` distinct entries of `list`, sorted. */
function pickDistinct(list, count, rng) {
  const set = new Set();
  while (set.size < Math.min(count, list.length)) set.add(list[rng.int(list.length)]);
  return [...set].sort((a, b) => a - b);
}

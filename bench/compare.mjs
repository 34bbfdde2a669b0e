// The comparison mode: the same image, the same changes, snaptier and restic one after the
// other on local encrypted and compressed repositories, one table with the issue's targets.
import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MiB, contiguousChange, scatteredChange, writeImage } from './image.mjs';
import { sha256File, warm } from './measure.mjs';
import { INSTALL_HINT } from './restic.mjs';
import { formatRequests } from './s3-proxy.mjs';
import { fmt, markdownTable, verdict, verdictCell } from './table.mjs';

export const PACK_SIZE = 16 * MiB;
const RSS_LIMIT_KIB = 256 * 1024;
const CONTIGUOUS = 10 * MiB;

/**
 * Runs the comparison; returns { table, notes, rows, failures }. `s3` (the --s3 mode): where the
 * repositories live instead of directories under `work`: { repos(run) -> { st, stFp, rs, rsFp },
 * proxy (counts each command's requests), name (for notes) }.
 */
export async function compareMode({ work, sizeMiB, seed, st, rs, log, repeat = 1, s3 = null }) {
  const size = sizeMiB * MiB;
  const img = join(work, 'img');
  const cur = join(work, 'cur'); // restic backs up cur/vol.img, a hard link to the current image
  const repos = join(work, 'repos');
  const restoreDir = join(work, 'restore');
  for (const d of [img, cur, repos, restoreDir]) mkdirSync(d, { recursive: true });
  const failures = [];
  const notes = [];

  // --- images -------------------------------------------------------------------------------
  const A = join(img, 'A.img');
  const B = join(img, 'B.img');
  const C = join(img, 'C.img');
  let t = performance.now();
  const mix = writeImage(A, size, seed);
  log(`generated A.img: ${sizeMiB} MiB (${mix.zeros} MiB zeros, ${mix.random} MiB random, ${mix.text} MiB log text) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const scattered = scatteredChange(A, B, size, seed);
  const contiguous = contiguousChange(B, C, size, seed, CONTIGUOUS);
  const extentsFile = join(img, 'C-extents.json');
  writeFileSync(extentsFile, JSON.stringify(contiguous.extents));
  const hash = { A: sha256File(A), B: sha256File(B), C: sha256File(C) };
  log(
    `B.img = A + ${scattered.blocks} scattered 4 KiB blocks (${fmt.bytes(scattered.bytes)}); C.img = B + ${fmt.bytes(CONTIGUOUS)} at offset ${contiguous.extents[0].offset}; ` +
      `hashed in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const rows = [
    { key: 'full', label: 'full backup', changed: null },
    { key: 'prev', label: 'incr 1% --previous-source', changed: scattered.bytes },
    { key: 'prevOff', label: 'incr 1% --previous-source, --verify-hints off', changed: scattered.bytes },
    { key: 'fp', label: 'incr 1% fingerprints', changed: scattered.bytes },
    { key: 'ext', label: 'incr 10 MiB --changed-extents', changed: CONTIGUOUS },
    { key: 'restore', label: 'restore (latest = C)', changed: null },
    { key: 'restoreFirst', label: 'restore first snapshot (A)', changed: null },
  ];
  const row = Object.fromEntries(rows.map((r) => [r.key, r]));
  for (const r of rows) {
    r.errors = [];
    r.runs = { snaptier: [], restic: [] };
  }
  const setupRuns = { snaptier: [], restic: [] };

  const point = (target) => {
    rmSync(join(cur, 'vol.img'), { force: true });
    linkSync(target, join(cur, 'vol.img'));
  };
  const vol = join(cur, 'vol.img');

  for (let run = 1; run <= repeat; run++) {
    if (repeat > 1) log(`--- run ${run} of ${repeat} ---`);
    const base = repeat > 1 ? join(repos, `run-${run}`) : repos;
    const repo = s3
      ? s3.repos(run)
      : {
          st: join(base, 'snaptier'),
          stFp: join(base, 'snaptier-fingerprints'),
          rs: join(base, 'restic'),
          rsFp: join(base, 'restic-fingerprints'),
        };
    const broken = new Set();

    /** One measured step on one repository; a failure marks the repository's chain broken. */
    const step = async (r, tool, repoDir, what, fn) => {
      if (broken.has(repoDir)) {
        if (r) r.errors.push(`run ${run}: ${tool}: skipped, an earlier step on ${repoDir} failed`);
        return null;
      }
      log(`${tool}: ${what}`);
      try {
        s3?.proxy.take(); // what went before (nothing: tools run one at a time) is not this step's
        const res = await fn();
        if (s3) res.requests = s3.proxy.take();
        log(
          `${tool}: ${what}: ${fmt.s(res.wallS)} s wall, ${fmt.s(res.cpuS)} s CPU, ${fmt.rssMiB(res.rssKiB)} MiB peak RSS` +
            (res.storedBytes !== undefined ? `, +${fmt.bytes(res.storedBytes)} in ${res.objects} files` : '') +
            (res.requests ? `; requests: ${formatRequests(res.requests)}` : '') +
            `; others used ${fmt.cores(res.othersCores)} cores` + (res.waitedS >= 1.5 ? ` (waited ${res.waitedS.toFixed(0)} s for quiet)` : ''),
        );
        if (r) r.runs[tool].push(res);
        return res;
      } catch (e) {
        broken.add(repoDir);
        const msg = e.message ?? String(e);
        failures.push(msg);
        if (r) r.errors.push(msg);
        log(`FAIL ${msg}`);
        return null;
      }
    };

    await step(null, 'snaptier', repo.st, 'init', () => st.init(repo.st));
    await step(null, 'snaptier', repo.stFp, 'init', () => st.init(repo.stFp));
    if (rs) {
      await step(null, 'restic', repo.rs, 'init', () => rs.init(repo.rs));
      await step(null, 'restic', repo.rsFp, 'init', () => rs.init(repo.rsFp));
    }

    // Full backup of A.
    warm(A);
    const fullA = await step(row.full, 'snaptier', repo.st, 'full backup of A', () => st.backup(repo.st, 'vol', A));
    point(A);
    let resticFirst = null;
    if (rs) {
      warm(A);
      const r = await step(row.full, 'restic', repo.rs, 'full backup of A', () => rs.backup(repo.rs, vol));
      resticFirst = r?.json?.snapshot_id ?? null;
    }
    // The fingerprint repositories start from the same full backup (a second sample of it).
    warm(A);
    const s2 = await step(null, 'snaptier', repo.stFp, 'full backup of A (fingerprints repository)', () => st.backup(repo.stFp, 'vol', A));
    if (s2) setupRuns.snaptier.push(s2);
    if (rs) {
      warm(A);
      const r2 = await step(null, 'restic', repo.rsFp, 'full backup of A (second repository)', () => rs.backup(repo.rsFp, vol));
      if (r2) setupRuns.restic.push(r2);
    }

    // 1% scattered, snaptier told the previous image.
    warm(A, B);
    await step(row.prev, 'snaptier', repo.st, 'B with --previous-source A', () => st.backup(repo.st, 'vol', B, { previousSource: A }));
    // The same backup again on the same base (stated, since B is now the latest), its hint
    // trusted unchecked: the difference to the row above is what the default sample costs.
    warm(A, B);
    const baseA = fullA?.json?.snapshot;
    if (baseA) {
      await step(row.prevOff, 'snaptier', repo.st, 'B with --previous-source A, --verify-hints off', () =>
        st.backup(repo.st, 'vol', B, { previousSource: A, base: baseA, verifyHints: 'off' }),
      );
    }
    point(B);
    if (rs) {
      warm(B);
      await step(row.prev, 'restic', repo.rs, 'B (parent: A)', () => rs.backup(repo.rs, vol));
    }

    // 1% scattered, nothing told: fingerprints.
    warm(B);
    await step(row.fp, 'snaptier', repo.stFp, 'B by fingerprints', () => st.backup(repo.stFp, 'vol', B));
    if (rs) {
      warm(B);
      await step(row.fp, 'restic', repo.rsFp, 'B (parent: A, second repository)', () => rs.backup(repo.rsFp, vol));
    }

    // 10 MiB contiguous, snaptier told the extent.
    warm(C);
    await step(row.ext, 'snaptier', repo.st, 'C with --changed-extents', () => st.backup(repo.st, 'vol', C, { changedExtents: contiguous.extents, extentsFile }));
    point(C);
    if (rs) {
      warm(C);
      await step(row.ext, 'restic', repo.rs, 'C (parent: B)', () => rs.backup(repo.rs, vol));
    }

    // Restore of the latest snapshot (C), verified.
    const verify = (tool, file, want, what, r = row.restore) => {
      const got = sha256File(file);
      if (got !== want) {
        const msg = `FAIL ${tool} ${what} (run ${run}): restored image differs from the source (sha256 ${got.slice(0, 16)}… vs ${want.slice(0, 16)}…)`;
        failures.push(msg);
        r.errors.push(msg);
        r.differs = true;
        log(msg);
        return false;
      }
      log(`${tool}: ${what}: restored image identical (sha256 ${got.slice(0, 16)}…)`);
      return true;
    };
    const stTarget = join(restoreDir, 'snaptier.img');
    rmSync(stTarget, { force: true });
    const stRestore = await step(row.restore, 'snaptier', repo.st, 'restore latest', () => st.restore(repo.st, 'vol', 'latest', stTarget));
    if (stRestore) verify('snaptier', stTarget, hash.C, 'restore latest');
    rmSync(stTarget, { force: true });
    if (rs) {
      const rsTarget = join(restoreDir, 'restic');
      rmSync(rsTarget, { recursive: true, force: true });
      const rsRestore = await step(row.restore, 'restic', repo.rs, 'restore latest', () => rs.restore(repo.rs, rsTarget));
      if (rsRestore) verify('restic', rsRestore.file, hash.C, 'restore latest');
      rmSync(rsTarget, { recursive: true, force: true });
    }
    // Restore of the first snapshot (A), three snapshots back, verified.
    if (fullA?.json?.snapshot) {
      rmSync(stTarget, { force: true });
      const r = await step(row.restoreFirst, 'snaptier', repo.st, 'restore first snapshot', () => st.restore(repo.st, 'vol', fullA.json.snapshot, stTarget));
      if (r) verify('snaptier', stTarget, hash.A, 'restore first snapshot', row.restoreFirst);
      rmSync(stTarget, { force: true });
    }
    if (rs && resticFirst) {
      const rsTarget = join(restoreDir, 'restic');
      rmSync(rsTarget, { recursive: true, force: true });
      const r = await step(row.restoreFirst, 'restic', repo.rs, 'restore first snapshot', () => rs.restore(repo.rs, rsTarget, resticFirst));
      if (r) verify('restic', r.file, hash.A, 'restore first snapshot', row.restoreFirst);
      rmSync(rsTarget, { recursive: true, force: true });
    }
    // Not measured: the fingerprints-mode snapshot must restore to B as well.
    const fpTarget = join(restoreDir, 'snaptier-fp.img');
    const fpRestore = await step(null, 'snaptier', repo.stFp, 'restore latest of the fingerprints repository (verification only)', () => st.restore(repo.stFp, 'vol', 'latest', fpTarget));
    if (fpRestore) verify('snaptier', fpTarget, hash.B, 'restore of the fingerprints-mode snapshot');
    rmSync(fpTarget, { force: true });
    if (repeat > 1 && run < repeat) rmSync(base, { recursive: true, force: true }); // keep the disk small; the last run stays for --keep
  }

  // One figure per row and tool: all runs must have succeeded; medians (peak RSS: the largest).
  for (const r of rows) {
    r.snaptier = aggregate(r.runs.snaptier, repeat);
    r.restic = aggregate(r.runs.restic, repeat);
  }
  const setup = { snaptierFull2: aggregate(setupRuns.snaptier, repeat), resticFull2: aggregate(setupRuns.restic, repeat) };

  // --- targets ------------------------------------------------------------------------------
  const noRestic = rs ? null : 'no restic';
  const wallRatio = (r) => (r.snaptier && r.restic ? r.snaptier.wallS / r.restic.wallS : null);
  const rssCheck = (r) => (r.snaptier ? verdict('RSS', `${fmt.rssMiB(r.snaptier.rssKiB)} MiB`, r.snaptier.rssKiB <= RSS_LIMIT_KIB) : null);
  const vsRestic = (r, limit) => {
    if (!r.snaptier) return null;
    if (!r.restic) return verdict('wall', '', false, noRestic ?? 'restic failed');
    const x = wallRatio(r);
    return verdict('wall', fmt.ratio(x), x <= limit);
  };
  const storedVsChanged = (r, limit) => {
    if (!r.snaptier) return null;
    const x = r.snaptier.storedBytes / r.changed;
    return verdict('stored', `${fmt.ratio(x)} changed`, x <= limit);
  };
  const objectsRule = (r) => {
    if (!r.snaptier) return null;
    const max = Math.ceil(r.snaptier.storedBytes / PACK_SIZE) + 5;
    return verdict('objects', `${r.snaptier.objects}/${max}`, r.snaptier.objects <= max);
  };
  const targets = {
    full: ['wall <= 0.5x restic; RSS <= 256 MiB', (r) => [vsRestic(r, 0.5), rssCheck(r)]],
    prev: ['wall <= 0.25x restic; stored <= 1.3x changed; objects <= ceil(stored/16 MiB)+5; RSS <= 256 MiB', (r) => [vsRestic(r, 0.25), storedVsChanged(r, 1.3), objectsRule(r), rssCheck(r)]],
    prevOff: [
      'the default hint sample (row above) costs <= 10% of this unchecked run',
      (r) => {
        const on = row.prev.snaptier;
        const off = r.snaptier;
        return [on && off ? verdict('sample', `${fmt.ratio(on.wallS / off.wallS)} of unchecked`, on.wallS <= 1.1 * off.wallS) : null, rssCheck(r)];
      },
    ],
    fp: ['wall <= 0.35x restic; stored <= 5x changed; objects <= ceil(stored/16 MiB)+5; RSS <= 256 MiB', (r) => [vsRestic(r, 0.35), storedVsChanged(r, 5), objectsRule(r), rssCheck(r)]],
    ext: [
      'wall <= 0.15x snaptier full; objects <= ceil(stored/16 MiB)+5; RSS <= 256 MiB',
      (r) => {
        const full = row.full.snaptier;
        const own = r.snaptier && full ? verdict('wall', `${fmt.ratio(r.snaptier.wallS / full.wallS)} own full`, r.snaptier.wallS <= 0.15 * full.wallS) : null;
        return [own, objectsRule(r), rssCheck(r)];
      },
    ],
    restore: ['wall <= 0.5x restic; RSS <= 256 MiB', (r) => [vsRestic(r, 0.5), rssCheck(r)]],
    restoreFirst: ['wall <= 0.5x restic; RSS <= 256 MiB', (r) => [vsRestic(r, 0.5), rssCheck(r)]],
  };

  const tableRows = rows.map((r) => {
    const [target, checksOf] = targets[r.key];
    const checks = checksOf(r).filter(Boolean);
    if (r.errors.length) checks.unshift({ text: 'FAIL (see below)', ok: false });
    if (r.differs) checks.unshift({ text: 'FAIL: restored image differs', ok: false });
    r.target = target;
    r.checks = checks;
    const s = r.snaptier;
    const x = r.restic;
    const isRestore = r.key === 'restore' || r.key === 'restoreFirst';
    const reqCells = s3 ? [requestCell(s?.requests, isRestore), requestCell(x?.requests, isRestore)] : [];
    return [
      r.label,
      fmt.s(s?.wallS),
      fmt.s(s?.cpuS),
      fmt.rssMiB(s?.rssKiB),
      isRestore ? '-' : fmt.mib(s?.storedBytes),
      isRestore ? '-' : fmt.int(s?.objects),
      fmt.s(x?.wallS),
      fmt.s(x?.cpuS),
      fmt.rssMiB(x?.rssKiB),
      isRestore ? '-' : fmt.mib(x?.storedBytes),
      isRestore ? '-' : fmt.int(x?.objects),
      fmt.ratio(wallRatio(r)),
      ...reqCells,
      target,
      checks.length ? verdictCell(checks) : 'FAIL',
    ];
  });
  const table = markdownTable(
    [
      'row',
      'snaptier wall s',
      'CPU s',
      'peak RSS MiB',
      'stored MiB',
      'objects',
      'restic wall s',
      'CPU s',
      'peak RSS MiB',
      'stored MiB',
      'objects',
      'wall snaptier/restic',
      ...(s3 ? ['snaptier requests', 'restic requests'] : []),
      'target',
      'PASS/MISS',
    ],
    tableRows,
    `lrrrrrrrrrrr${s3 ? 'rr' : ''}ll`,
  );

  // --- notes under the table ----------------------------------------------------------------
  if (!rs) notes.push(`${INSTALL_HINT} (restic columns and ratios left empty)`);
  notes.push(
    `image: ${sizeMiB} MiB, seed ${seed}: ${mix.zeros} MiB zeros, ${mix.random} MiB random, ${mix.text} MiB log text in 1 MiB regions; ` +
      `1% change = ${scattered.blocks} distinct 4 KiB blocks = ${scattered.bytes} B; contiguous change = ${CONTIGUOUS} B at offset ${contiguous.extents[0].offset}.`,
  );
  if (repeat > 1) notes.push(`every figure is the median of ${repeat} runs on fresh repositories (peak RSS and objects: the largest); each run's figures are in --json.`);
  notes.push(
    `CPU used by other processes on this ${availableParallelism()}-core machine during each measured command (cores; above ~0.2 the wall times are inflated): ` +
      rows.map((r) => `${r.label}: snaptier ${r.runs.snaptier.map((x) => fmt.cores(x.othersCores)).join('/') || '-'}, restic ${r.runs.restic.map((x) => fmt.cores(x.othersCores)).join('/') || '-'}`).join('; ') +
      '.',
  );
  notes.push('page cache warm: before each command the image(s) it reads are read once (like cat > /dev/null) and `sync` writes back what earlier steps left dirty; caches are not dropped. Tools run one after the other, never at once. snaptier fsyncs what it writes (packs, the restored target); restic 0.14 does not fsync a restored file.');
  if (s3) {
    notes.push(
      `store: ${s3.name}. stored/objects = bytes and objects the repository's prefix gained (a bucket listing before/after, made straight to the gateway). ` +
        'requests = what each command sent, counted by a proxy (node:http) between each tool and the gateway, both tools alike: G = GET of an object (ranged or whole), P = PUT (multipart parts included), H = HEAD, L = LIST (bucket-level GETs: list objects, list uploads), D = DELETE (DeleteObjects included), O = POST (multipart create/complete); restore rows show the GETs in front. ' +
        'The proxy adds a hop and some CPU on this machine to both tools alike.',
    );
    for (const r of rows) {
      const pair = ['snaptier', 'restic'].map((t) => (r[t]?.requests ? `${t} ${formatRequests(r[t].requests)} (${fmt.bytes(r[t].requests.bytesUp)} up, ${fmt.bytes(r[t].requests.bytesDown)} down)` : null)).filter(Boolean);
      if (pair.length) notes.push(`requests, ${r.label}: ${pair.join('; ')}.`);
    }
  } else notes.push('stored/objects = apparent bytes and files added to the repository directory by that command (du --apparent-size, file list before/after).');
  notes.push(
    'restic: every incremental row is its normal backup of the changed file, parent found by host and path; the fingerprints row runs in a second repository holding the same full backup.' +
      (s3 ? ' restic keeps its local cache (index, snapshots, tree packs) in the work directory across commands, as it does by default; snaptier keeps its catalog cache likewise.' : ''),
  );
  for (const r of rows.slice(0, 4)) {
    const runs = r.runs.snaptier.filter((x) => x.json);
    if (!runs.length) continue;
    // Checkpoints are uploaded (and counted) during the backup and deleted at its commit, so
    // they are in bytesUploaded/objectsUploaded but not in what the repository holds after.
    const cps = (x) => x.json.checkpoints ?? 0;
    const bad = runs.filter((x) =>
      cps(x) === 0 ? x.json.bytesUploaded !== x.storedBytes || x.json.objectsUploaded !== x.objects : x.json.bytesUploaded <= x.storedBytes || x.json.objectsUploaded !== x.objects + cps(x),
    );
    const j = runs[0].json;
    notes.push(
      `snaptier --json cross-check, ${r.label}: bytesUploaded ${j.bytesUploaded} vs du +${runs[0].storedBytes}, objectsUploaded ${j.objectsUploaded} vs files +${runs[0].objects}` +
        (cps(runs[0]) ? ` (${cps(runs[0])} checkpoint object(s), ${j.bytesUploaded - runs[0].storedBytes} B, written then deleted at the commit)` : '') +
        (bad.length ? ` — DISAGREE in ${bad.length} of ${runs.length} run(s): ${bad.map((x) => `${x.json.bytesUploaded}/${x.storedBytes} B, ${x.json.objectsUploaded}/${x.objects} objects`).join('; ')}` : ` (agree${runs.length > 1 ? ` in all ${runs.length} runs` : ''})`) +
        (r.key === 'full' ? '' : `; bytesChanged ${j.bytesChanged}, bytesRead ${j.bytesRead}, mode ${j.mode ?? '?'}`) +
        '.',
    );
  }
  if (setup.snaptierFull2 || setup.resticFull2) {
    notes.push(
      `second sample of the full backup (the fingerprints repositories): snaptier ${fmt.s(setup.snaptierFull2?.wallS)} s wall, ${fmt.rssMiB(setup.snaptierFull2?.rssKiB)} MiB; ` +
        `restic ${fmt.s(setup.resticFull2?.wallS)} s wall, ${fmt.rssMiB(setup.resticFull2?.rssKiB)} MiB.`,
    );
  }
  for (const r of rows) for (const e of r.errors) notes.push(`${r.label}: ${e}`);

  const json = rows.map((r) => ({
    row: r.label,
    changedBytes: r.changed,
    target: r.target,
    verdicts: r.checks.map((c) => c.text),
    snaptier: figures(r.snaptier),
    restic: figures(r.restic),
    wallRatio: wallRatio(r),
    errors: r.errors,
  }));
  return { table, notes, rows: json, failures, extra: { fullBackupSecondSample: { snaptier: figures(setup.snaptierFull2), restic: figures(setup.resticFull2) } } };
}

/** Median of each figure over `repeat` runs (null unless every run succeeded); RSS: the largest. */
export function aggregate(list, repeat) {
  if (list.length === 0 || list.length < repeat) return null;
  if (list.length === 1) return list[0];
  const med = (f) => median(list.map(f));
  return {
    ...list[list.length - 1],
    wallS: med((x) => x.wallS),
    cpuS: med((x) => x.cpuS),
    userS: med((x) => x.userS),
    sysS: med((x) => x.sysS),
    rssKiB: Math.max(...list.map((x) => x.rssKiB)),
    storedBytes: list[0].storedBytes === undefined ? undefined : med((x) => x.storedBytes),
    objects: list[0].objects === undefined ? undefined : Math.max(...list.map((x) => x.objects)),
    requests: list[0].requests === undefined ? undefined : medianBy(list, (x) => x.requests.total).requests,
    runs: list.map((x) => ({ wallS: x.wallS, cpuS: x.cpuS, rssKiB: x.rssKiB, storedBytes: x.storedBytes, objects: x.objects, requests: x.requests, othersCores: x.othersCores, waitedS: x.waitedS })),
  };
}

/** The element whose figure is the median (the lower middle of an even count). */
function medianBy(list, f) {
  const s = [...list].sort((a, b) => f(a) - f(b));
  return s[(s.length - 1) >> 1];
}

/** Requests of one command, short: "G 3 · P 40 · L 2"; restore rows: GETs first. */
function requestCell(c, getsFirst) {
  if (!c) return '';
  const short = { GET: 'G', PUT: 'P', POST: 'O', HEAD: 'H', LIST: 'L', DELETE: 'D' };
  const order = getsFirst ? ['GET', 'LIST', 'HEAD', 'PUT', 'POST', 'DELETE'] : ['PUT', 'POST', 'GET', 'HEAD', 'LIST', 'DELETE'];
  return order
    .filter((k) => c.requests[k])
    .map((k) => `${short[k]} ${c.requests[k]}`)
    .join(' · ');
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function figures(res) {
  if (!res) return null;
  return {
    command: res.line,
    wallS: res.wallS,
    cpuS: res.cpuS,
    userS: res.userS,
    sysS: res.sysS,
    peakRssKiB: res.rssKiB,
    storedBytes: res.storedBytes ?? null,
    objects: res.objects ?? null,
    requests: res.requests ?? null,
    json: res.json ?? null,
    othersCores: res.othersCores,
    waitedS: res.waitedS,
    load1m: res.load,
    runs: res.runs,
    approx: res.approx || undefined,
  };
}

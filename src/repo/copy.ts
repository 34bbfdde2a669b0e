// `copy`: incremental replication of snapshots from one repository to another (site A to site
// B, S3 to Azure), each with its own keys, pack ids, compression, pack size and fanout. Every
// source snapshot not yet at the destination is rebuilt there, oldest first per volume, on the
// destination's copy of a snapshot it already holds: only the segments that differ between the
// two source snapshots are written, and only the chunks the destination lacks are sent. The
// source volume is never read. A copy is a normal snapshot of the destination (same volume,
// time, size, labels, image and id), restorable there alone; the shared id is how a later copy,
// or a re-run after a crash, knows it is there (copies by earlier versions carry COPY_LABEL).
import { type CopyBase, type ProgressFn, copySnapshot } from '../engine/index.js';
import { NotFoundInputError, UsageError } from '../errors.js';
import type { Geometry } from '../format/geometry.js';
import type { Manifest } from '../format/types.js';
import { checkVolumeName, commitManifest, describe, listSnapshots, snapshotId, userLabels } from './catalog.js';
import type { Repository } from './repository.js';

export { COPY_LABEL } from './catalog.js';

export interface CopyRequest {
  /** Only this volume; every volume of the source when absent. */
  volume?: string;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  /** Called after each snapshot is committed at the destination. */
  onCopied?: (copied: CopiedSnapshot) => void;
}

export interface CopiedSnapshot {
  source: Manifest;
  copy: Manifest;
  bytesUploaded: number;
  objectsUploaded: number;
}

export interface CopyReport {
  copied: CopiedSnapshot[];
  /** Source snapshots the destination held already. */
  skipped: Manifest[];
  bytesUploaded: number;
  objectsUploaded: number;
  /** Sealed bytes read from the source's data packs. */
  bytesFetched: number;
  durationMs: number;
}

/** The original snapshot a snapshot stands for: its id, which copies keep. */
export function originOf(m: Manifest): string {
  return snapshotId(m);
}

export async function copySnapshots(src: Repository, dst: Repository, req: CopyRequest = {}): Promise<CopyReport> {
  const started = Date.now();
  if (src.config.repoId.equals(dst.config.repoId)) {
    throw new UsageError(`--from and --to are the same repository (${dst.store.description})`);
  }
  checkGeometry(src.geometry, dst.geometry);
  if (req.volume !== undefined) checkVolumeName(req.volume);
  const all = await listSnapshots(src, req.volume);
  if (req.volume !== undefined && all.length === 0) {
    throw new NotFoundInputError(`volume ${req.volume} has no snapshots in ${src.store.description}`);
  }
  const byVolume = new Map<string, Manifest[]>();
  for (const { manifest } of all) {
    let list = byVolume.get(manifest.volume);
    if (!list) byVolume.set(manifest.volume, (list = []));
    list.push(manifest); // oldest first, as listed
  }
  const report: CopyReport = { copied: [], skipped: [], bytesUploaded: 0, objectsUploaded: 0, bytesFetched: 0, durationMs: 0 };
  for (const volume of [...byVolume.keys()].sort()) {
    const sources = byVolume.get(volume)!;
    const present = new Map<string, Manifest>();
    for (const { manifest } of await listSnapshots(dst, volume)) present.set(originOf(manifest), manifest);
    for (const s of sources) {
      req.signal?.throwIfAborted();
      if (present.has(originOf(s))) {
        report.skipped.push(s);
        continue;
      }
      const base = pickBase(s, sources, present, src.geometry.fanout === dst.geometry.fanout);
      const one = await copyOne(src, dst, s, base, req, report);
      present.set(originOf(s), one.copy);
      report.copied.push(one);
      report.bytesUploaded += one.bytesUploaded;
      report.objectsUploaded += one.objectsUploaded;
      req.onCopied?.(one);
    }
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** Maps are copied leaf for leaf: both repositories must cut volumes the same way. */
function checkGeometry(a: Geometry, b: Geometry): void {
  const same = a.blockSize === b.blockSize && a.fingerprintSize === b.fingerprintSize && a.segmentSize === b.segmentSize;
  if (!same || b.maxChunkSize < a.maxChunkSize) {
    throw new UsageError(
      `the repositories cut volumes differently (source: ${a.segmentSize}-byte segments, ${a.fingerprintSize}-byte fingerprints; ` +
        `destination: ${b.segmentSize}, ${b.fingerprintSize}): copy needs the same segment and fingerprint sizes`,
    );
  }
}

type Base = CopyBase;

/**
 * The snapshot to build on: the source parent when the destination has it, else the one
 * nearest in time that it has. A destination copy is used only when it visibly holds the same
 * image (size, and the image digest when both maps have the same fanout).
 */
function pickBase(s: Manifest, sources: Manifest[], present: Map<string, Manifest>, sameFanout: boolean): Base | null {
  const candidates: Base[] = [];
  for (const p of sources) {
    const d = present.get(originOf(p));
    if (p === s || !d || d.size !== p.size) continue;
    if (sameFanout && !d.imageDigest.equals(p.imageDigest)) continue;
    candidates.push({ src: p, dst: d });
  }
  const parent = s.parent ? candidates.find((c) => c.src.id.equals(s.parent!)) : undefined;
  if (parent) return parent;
  const distance = (c: Base) => Math.abs(c.src.timeMs - s.timeMs) + (c.src.timeMs > s.timeMs ? 0.5 : 0);
  candidates.sort((x, y) => distance(x) - distance(y));
  return candidates[0] ?? null;
}

async function copyOne(
  src: Repository,
  dst: Repository,
  s: Manifest,
  base: Base | null,
  req: CopyRequest,
  report: CopyReport,
): Promise<CopiedSnapshot> {
  const out = await copySnapshot(src, dst, {
    snapshot: s,
    base,
    // The original's id: site B knows the snapshot by the id site A printed.
    id: Buffer.from(originOf(s), 'hex'),
    labels: userLabels(s),
    name: describe(s),
    phase: `copy ${snapshotId(s).slice(0, 8)}`,
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  });
  report.bytesFetched += out.bytesFetched;
  const copy = out.manifest;
  const manifestBytes = await commitManifest(dst, copy);
  return {
    source: s,
    copy,
    bytesUploaded: copy.stats.bytesUploaded + manifestBytes,
    objectsUploaded: copy.stats.objectsUploaded + 1,
  };
}

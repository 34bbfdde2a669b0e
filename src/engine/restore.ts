// Restore: walk the snapshot's map, fetch each needed chunk once with large ranged GETs (a few
// batches in parallel), rebuild each segment, prove it against its fingerprints, and write it
// in place. Holes are not written to files (they stay sparse) and zeroed on block devices.
// Memory: <= RESTORE_CONCURRENCY x (fetched ranges + rebuilt segments) of one batch each.
import { RESTORE_BATCH_BYTES, RESTORE_CONCURRENCY } from '../defaults.js';
import { IntegrityError, UsageError } from '../errors.js';
import { packKey } from '../format/layout.js';
import { BlobKind } from '../format/seal.js';
import { type BlobRef, type Manifest, PackKind } from '../format/types.js';
import { type RepoContext, segmentCount } from './context.js';
import { fingerprint, zeroBuffer, zeroFingerprint } from './fingerprint.js';
import { asIntegrity } from './integrity.js';
import { NodeReader, coalesce } from './node-store.js';
import type { ProgressFn } from './progress.js';
import type { RestoreTarget } from './target.js';
import { type LeafVisit, walkLeaves } from './tree-walk.js';

export interface RestoreInput {
  manifest: Manifest;
  /** How errors name the snapshot, e.g. "snapshot 3fa2c1d0 of db01". */
  name: string;
  target: RestoreTarget;
  offset: number;
  length: number;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface RestoreOutcome {
  bytesWritten: number;
  bytesData: number;
}

interface Damage {
  from: number;
  to: number;
  why: string;
}

export async function restore(ctx: RepoContext, input: RestoreInput): Promise<RestoreOutcome> {
  const g = ctx.geometry;
  const { manifest, offset, length } = input;
  if (offset < 0 || length < 0 || offset + length > manifest.size) {
    throw new UsageError(`range ${offset}+${length} lies outside ${input.name} of ${manifest.size} bytes`);
  }
  const end = offset + length;
  const reader = new NodeReader(ctx);
  const damage: Damage[] = [];
  let bytesDone = 0;
  let bytesData = 0;
  const firstSeg = Math.floor(offset / g.segmentSize);
  const lastSeg = Math.min(segmentCount(manifest.size, g), Math.ceil(end / g.segmentSize));
  const progress = () => input.onProgress?.({ phase: 'restore', bytesDone, bytesTotal: length, bytesUploaded: 0, objects: 0 });

  const leaves = walkLeaves(reader, g, manifest.root, manifest.rootLevel, firstSeg, lastSeg)[Symbol.asyncIterator]();
  let walkError: unknown = null;
  let walkedTo = offset;
  async function* batches(): AsyncIterable<LeafVisit[]> {
    let batch: LeafVisit[] = [];
    let bytes = 0;
    for (;;) {
      let r: IteratorResult<LeafVisit>;
      try {
        r = await leaves.next();
      } catch (err) {
        walkError = err;
        break;
      }
      if (r.done) break;
      walkedTo = Math.max(walkedTo, (r.value.index + 1) * g.segmentSize);
      batch.push(r.value);
      for (const e of r.value.leaf.extents) bytes += e.chunk.length;
      if (bytes >= RESTORE_BATCH_BYTES) {
        yield batch;
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length) yield batch;
  }

  const writeClipped = async (pos: number, data: Buffer) => {
    const from = Math.max(pos, offset);
    const to = Math.min(pos + data.length, end);
    if (to > from) await input.target.write(from - offset, data.subarray(from - pos, to - pos));
  };

  const restoreBatch = async (batch: LeafVisit[]) => {
    const chunks = new Map<string, BlobRef>();
    for (const v of batch) for (const e of v.leaf.extents) chunks.set(e.chunk.id.toString('hex'), e.chunk);
    const plain = new Map<string, Buffer | Error>();
    await Promise.all(
      coalesce([...chunks.values()]).map(async (group) => {
        const key = packKey(PackKind.Data, group.pack);
        let buf: Buffer | null = null;
        let fetchErr: Error | null = null;
        try {
          buf = await ctx.store.get(key, { range: { offset: group.start, length: group.end - group.start } });
        } catch (err) {
          const e = asIntegrity(err, `data pack ${key}`);
          if (!(e instanceof IntegrityError)) throw e;
          fetchErr = e;
        }
        for (const b of group.blobs) {
          const id = b.id.toString('hex');
          if (!buf) {
            plain.set(id, fetchErr ?? new Error('missing'));
            continue;
          }
          try {
            plain.set(id, ctx.sealer.open(BlobKind.Data, b.id, buf.subarray(b.offset - group.start, b.offset - group.start + b.length), b.rawLength));
          } catch (err) {
            plain.set(id, new Error(`chunk ${id.slice(0, 16)} in ${key} is damaged: ${(err as Error).message}`));
          }
        }
      }),
    );
    for (const v of batch) await restoreLeaf(v, plain);
  };

  const restoreLeaf = async (v: LeafVisit, plain: Map<string, Buffer | Error>) => {
    const segStart = v.index * g.segmentSize;
    const segLen = Math.min(g.segmentSize, manifest.size - segStart);
    const seg = Buffer.alloc(segLen);
    const covered = new Uint8Array(Math.ceil(segLen / g.fingerprintSize));
    const bad = new Uint8Array(covered.length);
    for (const e of v.leaf.extents) {
      if (e.start + e.length > segLen) throw new IntegrityError(`${input.name}: map leaf of segment ${v.index} has an extent past the volume end`);
      const p = plain.get(e.chunk.id.toString('hex'));
      const f0 = Math.floor(e.start / g.fingerprintSize);
      const f1 = Math.ceil((e.start + e.length) / g.fingerprintSize);
      covered.fill(1, f0, f1);
      if (!p || p instanceof Error) {
        bad.fill(1, f0, f1);
        damage.push({ from: segStart + e.start, to: segStart + e.start + e.length, why: p?.message ?? 'chunk missing' });
        continue;
      }
      p.copy(seg, e.start, e.chunkOffset, e.chunkOffset + e.length);
    }
    // Prove every fingerprint block against the map before writing it.
    for (let f = 0; f < covered.length; f++) {
      const s = f * g.fingerprintSize;
      const len = Math.min(g.fingerprintSize, segLen - s);
      const want = v.leaf.fingerprints.subarray(f * 16, f * 16 + 16);
      const got = covered[f] ? fingerprint(seg.subarray(s, s + len)) : zeroFingerprint(len);
      if (!bad[f] && !got.equals(want)) {
        bad[f] = 1;
        damage.push({ from: segStart + s, to: segStart + s + len, why: 'restored bytes do not match the snapshot fingerprint' });
      }
    }
    // Write the extents that are proven (runs of adjacent extents at once).
    let runStart = -1;
    let runEnd = -1;
    const flush = async () => {
      if (runStart >= 0) await writeClipped(segStart + runStart, seg.subarray(runStart, runEnd));
      bytesData += Math.max(0, Math.min(segStart + runEnd, end) - Math.max(segStart + runStart, offset));
      runStart = -1;
    };
    for (const e of v.leaf.extents) {
      const f0 = Math.floor(e.start / g.fingerprintSize);
      const f1 = Math.ceil((e.start + e.length) / g.fingerprintSize);
      if (bad.subarray(f0, f1).some((x) => x === 1)) {
        await flush();
        continue;
      }
      if (runStart >= 0 && e.start === runEnd) runEnd = e.start + e.length;
      else {
        await flush();
        runStart = e.start;
        runEnd = e.start + e.length;
      }
    }
    await flush();
    if (input.target.isBlockDevice) await zeroHoles(segStart, segStart + segLen, v);
    bytesDone += Math.max(0, Math.min(segStart + segLen, end) - Math.max(segStart, offset));
    progress();
  };

  // Block devices keep old contents in holes: zero every byte no extent covers.
  const zeroHoles = async (from: number, to: number, v: LeafVisit | null) => {
    let pos = from;
    for (const e of v?.leaf.extents ?? []) {
      await zeroRange(pos, from + e.start);
      pos = from + e.start + e.length;
    }
    await zeroRange(pos, to);
  };
  const zeroRange = async (from: number, to: number) => {
    for (let p = from; p < to; p += 1 << 20) {
      const n = Math.min(1 << 20, to - p);
      await writeClipped(p, zeroBuffer(n));
    }
  };

  const source = batches()[Symbol.asyncIterator]();
  const worker = async () => {
    for (;;) {
      input.signal?.throwIfAborted();
      const r = await source.next();
      if (r.done) return;
      await restoreBatch(r.value);
    }
  };
  await Promise.all(Array.from({ length: RESTORE_CONCURRENCY }, worker));
  if (walkError instanceof IntegrityError) {
    throw new IntegrityError(`${input.name}: cannot prove bytes ${walkedTo}-${end - 1}: ${walkError.message}`, { cause: walkError });
  }
  if (walkError) throw walkError;
  if (input.target.isBlockDevice) await zeroMissingSegments();
  bytesDone = length;
  progress();

  if (damage.length > 0) {
    damage.sort((a, b) => a.from - b.from);
    const d = damage[0]!;
    const more = damage.length > 1 ? ` (and ${damage.length - 1} more damaged range${damage.length > 2 ? 's' : ''})` : '';
    throw new IntegrityError(`${input.name}: cannot prove bytes ${d.from}-${d.to - 1}: ${d.why}${more}`);
  }
  return { bytesWritten: length, bytesData };

  // Segments absent from the map are holes; on a block device they must be zeroed too.
  async function zeroMissingSegments() {
    const present = new Set<number>();
    for await (const v of walkLeaves(reader, g, manifest.root, manifest.rootLevel, firstSeg, lastSeg)) present.add(v.index);
    for (let s = firstSeg; s < lastSeg; s++) {
      if (!present.has(s)) await zeroHoles(s * g.segmentSize, Math.min((s + 1) * g.segmentSize, manifest.size), null);
    }
  }
}

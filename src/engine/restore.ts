// Restore: walk the snapshot's map, fetch each needed chunk once with large ranged GETs (a few
// batches in parallel), rebuild and prove each segment on the CPU workers, and write it in
// place. Holes are not written to files (they stay sparse) and are zeroed on block devices.
// Memory: about 2 x RESTORE_CONCURRENCY batches of fetched ranges and their opened chunks.
import { INLINE_BELOW, RESTORE_BATCH_BYTES, RESTORE_CONCURRENCY, RESTORE_FLUSH_EVERY } from '../defaults.js';
import { IntegrityError, UsageError } from '../errors.js';
import { packKey } from '../format/layout.js';
import { type BlobRef, type Manifest, PackKind } from '../format/types.js';
import { type RepoContext, segmentCount } from './context.js';
import type { Damage } from './segment-place.js';
import { zeroBuffer } from './fingerprint.js';
import { asIntegrity } from './integrity.js';
import { NodeReader, coalesce } from './node-store.js';
import type { ProgressFn } from './progress.js';
import { type PlaceRange, type Placement, placeSegment } from './segment-place.js';
import { type RebuildChunk, type RebuildJob, type RebuiltSegment, rebuildSegments } from './segment-rebuild.js';
import type { RestoreTarget } from './target.js';
import { PackSpans, packsOf } from './restore-plan.js';
import { type LeafVisit, walkLeaves } from './tree-walk.js';
import { type CpuPool, cpuPool } from './workers/cpu-pool.js';
import { workersForced } from './workers/pool.js';
import { type Placed, owned, rebuildTransfers } from './workers/messages.js';

export interface RestoreInput {
  manifest: Manifest;
  /** How errors name the snapshot, e.g. "snapshot 3fa2c1d0 of volume db01". */
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


export async function restore(ctx: RepoContext, input: RestoreInput): Promise<RestoreOutcome> {
  // A short range is restored faster on this thread than worker threads start.
  const pool = input.length < INLINE_BELOW && !workersForced() ? null : cpuPool(ctx);
  try {
    return await run(ctx, input, pool);
  } finally {
    await pool?.close();
  }
}

async function run(ctx: RepoContext, input: RestoreInput, pool: CpuPool | null): Promise<RestoreOutcome> {
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

  // A first walk learns which packs are used where; a damaged map fails it, and the walk
  // below meets the same damage and reports it with the byte range, so ignore it here.
  const spans = await PackSpans.plan(reader, g, manifest, firstSeg, lastSeg).catch(() => null);
  const leaves = walkLeaves(reader, g, manifest.root, manifest.rootLevel, firstSeg, lastSeg)[Symbol.asyncIterator]();
  const present = new Set<number>();
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
      present.add(r.value.index);
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

  /** Fetches every chunk the batch needs, each once, with ranged reads coalesced per pack. */
  const fetchJob = async (batch: LeafVisit[]): Promise<RebuildJob> => {
    const index = new Map<string, number>();
    const refs: BlobRef[] = [];
    const segments = batch.map((v) => ({
      index: v.index,
      length: Math.min(g.segmentSize, manifest.size - v.index * g.segmentSize),
      fingerprints: owned(v.leaf.fingerprints),
      extents: v.leaf.extents.map((e) => {
        const id = e.chunk.id.toString('hex');
        let i = index.get(id);
        if (i === undefined) {
          i = refs.push(e.chunk) - 1;
          index.set(id, i);
        }
        return { start: e.start, length: e.length, chunk: i, chunkOffset: e.chunkOffset };
      }),
    }));
    const chunks: RebuildChunk[] = refs.map((b) => ({ id: b.id, rawLength: b.rawLength, sealed: null, where: packKey(PackKind.Data, b.pack) }));
    const get = (key: string, start: number, end: number) => ctx.store.get(key, { range: { offset: start, length: end - start } });
    await Promise.all(
      coalesce(refs).map(async (group) => {
        const key = packKey(PackKind.Data, group.pack);
        const span = spans?.span(group.pack.toString('hex'), (start, end) => get(key, start, end));
        let buf: Buffer | null = null;
        let base = group.start;
        let why = '';
        try {
          if (span) {
            base = span.start;
            buf = await span.data;
          } else buf = owned(await get(key, group.start, group.end));
        } catch (err) {
          const e = asIntegrity(err, `data pack ${key}`);
          if (!(e instanceof IntegrityError)) throw e;
          why = e.message;
        }
        for (const b of group.blobs) {
          const c = chunks[index.get(b.id.toString('hex'))!]!;
          if (!buf) c.error = why;
          else if (span) c.sealed = Buffer.from(buf.subarray(b.offset - base, b.offset - base + b.length)); // copied: the span stays cached
          else c.sealed = buf.subarray(b.offset - base, b.offset - base + b.length);
        }
      }),
    );
    for (const v of batch) spans?.release(packsOf(v.leaf.extents));
    return { chunks, segments };
  };

  const range: PlaceRange = { offset, end, segmentSize: g.segmentSize, blockDevice: input.target.isBlockDevice };
  // The target is fsynced before success is reported. Flushing as we go, one flush at a time in
  // the background, overlaps most of that disk time with the restore (0.5 s of 1.6 s for 512 MiB
  // when it all waited for the end).
  let flushed = 0;
  let flushing: Promise<void> | null = null;
  const flushAsWeGo = () => {
    if (flushing || bytesData - flushed < RESTORE_FLUSH_EVERY) return;
    flushed = bytesData;
    flushing = input.target.flush().finally(() => {
      flushing = null;
    });
    flushing.catch(() => {}); // a failed flush fails the final fsync too, which reports it
  };
  const account = (p: Pick<Placement, 'damage' | 'bytesData' | 'bytesDone'>) => {
    damage.push(...p.damage);
    bytesData += p.bytesData;
    flushAsWeGo();
    bytesDone += p.bytesDone;
    progress();
  };
  const writeInline = async (seg: RebuiltSegment) => {
    const p = placeSegment(seg, range);
    for (const [pos, data] of p.writes) await input.target.write(pos, data);
    account(p);
  };

  // With workers, each rebuilds and writes its segments to the target's descriptor itself, so
  // restored bytes never cross back to this thread; the next batch is fetched meanwhile.
  const source = batches()[Symbol.asyncIterator]();
  const nextJob = async (): Promise<RebuildJob | null> => {
    input.signal?.throwIfAborted();
    const r = await source.next();
    return r.done ? null : fetchJob(r.value);
  };
  const worker = async () => {
    let next = nextJob();
    for (;;) {
      const job = await next;
      if (!job) return;
      next = nextJob();
      next.catch(() => {}); // awaited on the next turn
      if (pool) {
        const placed = (await pool.run({ kind: 'rebuild', job, write: { fd: input.target.fd, range } }, rebuildTransfers(job))) as Placed[];
        for (const p of placed) account(p);
      } else {
        for (const seg of rebuildSegments(g, ctx.sealer, job)) await writeInline(seg);
      }
    }
  };
  await Promise.all(Array.from({ length: RESTORE_CONCURRENCY }, worker));
  await flushing;
  if (walkError instanceof IntegrityError) {
    throw new IntegrityError(`${input.name}: cannot prove bytes ${walkedTo}-${end - 1}: ${walkError.message}`, { cause: walkError });
  }
  if (walkError) throw walkError;
  if (input.target.isBlockDevice) {
    // Segments absent from the map are holes too.
    for (let s = firstSeg; s < lastSeg; s++) {
      const length = Math.min(g.segmentSize, manifest.size - s * g.segmentSize);
      if (!present.has(s)) await writeInline({ index: s, data: zeroBuffer(length), runs: [], damage: [] });
    }
  }
  bytesDone = length;
  progress();

  if (damage.length > 0) {
    damage.sort((a, b) => a.from - b.from);
    const d = damage[0]!;
    const more = damage.length > 1 ? ` (and ${damage.length - 1} more damaged range${damage.length > 2 ? 's' : ''})` : '';
    throw new IntegrityError(`${input.name}: cannot prove bytes ${d.from}-${d.to - 1}: ${d.why}${more}`);
  }
  return { bytesWritten: length, bytesData };
}

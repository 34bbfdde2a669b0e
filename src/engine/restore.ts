// Restore: walk the snapshot's map, fetch each needed chunk once with large ranged GETs (a few
// batches in parallel), rebuild and prove each segment on the CPU workers, and write it in
// place. Holes are not written to files (they stay sparse) and are zeroed on block devices.
// Memory: about 2 x RESTORE_CONCURRENCY batches of fetched spans, the spans held for later
// batches (<= RESTORE_KEEP_BYTES), and a few segments' opened chunks per thread.
import { INLINE_BELOW, RESTORE_BATCH_BYTES, RESTORE_CONCURRENCY, RESTORE_FLUSH_EVERY, RESTORE_GAP, RESTORE_MAX_BATCH_BYTES, RESTORE_KEEP_BYTES, RESTORE_SPAN_MAX, RESTORE_WINDOW_SEGMENTS } from '../defaults.js';
import { IntegrityError, UsageError } from '../errors.js';
import { packKey } from '../format/layout.js';
import { type Manifest, PackKind } from '../format/types.js';
import { type RepoContext, segmentCount } from './context.js';
import type { Damage } from './segment-place.js';
import { zeroBuffer } from './fingerprint.js';
import { asIntegrity } from './integrity.js';
import { NodeReader } from './node-store.js';
import type { ProgressFn } from './progress.js';
import { type PlaceRange, type Placement, placeSegment } from './segment-place.js';
import { type RebuildChunk, type RebuildJob, type RebuiltSegment, rebuildSegments } from './segment-rebuild.js';
import type { RestoreTarget } from './target.js';
import { type PlanOptions, type PlannedBatch, type Span, planWindow } from './restore-plan.js';
import { type LeafVisit, walkLeaves } from './tree-walk.js';
import { type CpuPool, cpuPool, discardPrestarted } from './workers/cpu-pool.js';
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

const PLAN: PlanOptions = { batchBytes: RESTORE_BATCH_BYTES, maxBatchBytes: RESTORE_MAX_BATCH_BYTES, gap: RESTORE_GAP, spanMax: RESTORE_SPAN_MAX, keepBytes: RESTORE_KEEP_BYTES };

export interface RestoreOutcome {
  bytesWritten: number;
  bytesData: number;
}


/** Spans read into shared memory in this process: how a test sees that path taken. */
let sharedSpans = 0;
export function sharedSpansRead(): number {
  return sharedSpans;
}

export async function restore(ctx: RepoContext, input: RestoreInput): Promise<RestoreOutcome> {
  // A short range is restored faster on this thread than worker threads start.
  const pool = input.length < INLINE_BELOW && !workersForced() ? null : cpuPool(ctx);
  if (!pool) discardPrestarted();
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

  // One walk of the map, read ahead a window at a time; each window's pack reads are planned
  // at once so that a span of a pack is fetched once for all the batches that use it.
  const leaves = walkLeaves(reader, g, manifest.root, manifest.rootLevel, firstSeg, lastSeg)[Symbol.asyncIterator]();
  const present = new Set<number>();
  let walkError: unknown = null;
  let walkedTo = offset;
  async function* batches(): AsyncIterable<PlannedBatch<LeafVisit>> {
    for (let done = false; !done; ) {
      const window: LeafVisit[] = [];
      while (window.length < RESTORE_WINDOW_SEGMENTS) {
        let r: IteratorResult<LeafVisit>;
        try {
          r = await leaves.next();
        } catch (err) {
          // The batches walked so far are still restored; the rest is reported with its range.
          walkError = err;
          done = true;
          break;
        }
        if (r.done) {
          done = true;
          break;
        }
        present.add(r.value.index);
        walkedTo = Math.max(walkedTo, (r.value.index + 1) * g.segmentSize);
        window.push(r.value);
      }
      yield* planWindow(window, PLAN);
    }
  }

  // Spans being fetched or held for a later batch; the last batch to take from one drops it.
  // A span several batches take from is read into shared memory where the store can (the
  // local store): each batch's worker then reads its chunks in place, where otherwise every
  // batch but the last copies its chunks out (~70 ms of the main thread's time in the chain
  // bench's snapshot 100, while the workers wait for their first batch).
  const spanData = new Map<Span, Promise<Buffer>>();
  const dataOf = (span: Span): Promise<Buffer> => {
    let p = spanData.get(span);
    if (!p) {
      const length = span.end - span.start;
      const into = span.users > 1 && pool ? Buffer.from(new SharedArrayBuffer(length)) : undefined;
      if (into) sharedSpans++;
      p = ctx.store.get(packKey(PackKind.Data, span.pack), { range: { offset: span.start, length }, ...(into ? { into } : {}) });
      p.catch(() => {}); // awaited by every user
      spanData.set(span, p);
    }
    return p;
  };

  /** The batch's chunks out of its spans: sliced from a span it is the last user of, else copied. */
  const fetchJob = async (batch: PlannedBatch<LeafVisit>): Promise<RebuildJob> => {
    const segments = batch.segments.map((v, k) => {
      const chunkOf = batch.chunkOf[k]!;
      return {
        index: v.index,
        length: Math.min(g.segmentSize, manifest.size - v.index * g.segmentSize),
        fingerprints: owned(v.leaf.fingerprints),
        extents: v.leaf.extents.map((e, j) => ({ start: e.start, length: e.length, chunk: chunkOf[j]!, chunkOffset: e.chunkOffset })),
      };
    });
    const got = await Promise.all(
      batch.spans.map(async (span) => {
        const where = packKey(PackKind.Data, span.pack);
        try {
          return { span, buf: await dataOf(span), why: '', where };
        } catch (err) {
          const e = asIntegrity(err, `data pack ${where}`);
          if (!(e instanceof IntegrityError)) throw e;
          return { span, buf: null, why: e.message, where };
        }
      }),
    );
    // From here to the return nothing awaits, so "last user" cannot change under us.
    const bySpan = new Map<Span, { buf: Buffer | null; why: string; own: boolean; where: string }>();
    let copyBytes = 0;
    for (const { span, buf, why, where } of got) {
      const shared = buf !== null && buf.buffer instanceof SharedArrayBuffer;
      const own = shared || span.users === 1;
      bySpan.set(span, { buf: buf && own && !shared ? owned(buf) : buf, why, own, where });
      if (--span.users === 0) spanData.delete(span);
    }
    for (const { blob, span } of batch.chunks) {
      const from = bySpan.get(span)!;
      if (from.buf && !from.own) copyBytes += blob.length;
    }
    const copies = copyBytes > 0 ? Buffer.allocUnsafeSlow(copyBytes) : null;
    let at = 0;
    const chunks = batch.chunks.map(({ blob: b, span }): RebuildChunk => {
      const from = bySpan.get(span)!;
      const c: RebuildChunk = { id: b.id, rawLength: b.rawLength, sealed: null, where: from.where };
      if (!from.buf) {
        c.error = from.why;
        return c;
      }
      const view = from.buf.subarray(b.offset - span.start, b.offset - span.start + b.length);
      if (from.own) c.sealed = view;
      else {
        // Another batch still needs this span: a copy, so that this job's bytes can move to a worker.
        view.copy(copies!, at);
        c.sealed = copies!.subarray(at, at + view.length);
        at += view.length;
      }
      return c;
    });
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
  // One batch is fetched ahead for all of them (batches can be large: memory <=
  // (RESTORE_CONCURRENCY + 1) x RESTORE_MAX_BATCH_BYTES of sealed bytes).
  const source = batches()[Symbol.asyncIterator]();
  const nextJob = async (): Promise<RebuildJob | null> => {
    input.signal?.throwIfAborted();
    const r = await source.next();
    return r.done ? null : fetchJob(r.value);
  };
  let ahead = nextJob();
  const takeJob = (): Promise<RebuildJob | null> => {
    const mine = ahead;
    ahead = mine.then((job) => (job ? nextJob() : null));
    ahead.catch(() => {}); // awaited by the next taker, or the failure is already ours
    return mine;
  };
  const worker = async () => {
    for (;;) {
      const job = await takeJob();
      if (!job) return;
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

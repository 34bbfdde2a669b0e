// The backup's CPU stage: segment tasks go to the worker pool in batches of about READ_SIZE
// bytes and come back as sealed changes, in volume order. Memory: <= inFlight batches of
// source bytes plus their sealed chunks, i.e. about 2 x inFlight x READ_SIZE.
import { READ_SIZE } from '../defaults.js';
import type { Sealer } from '../format/seal.js';
import type { Geometry } from './context.js';
import { type SealedChange, detectAndSeal } from './sealed-change.js';
import type { SegmentTask } from './segment-task.js';
import type { CpuPool } from './workers/cpu-pool.js';
import { type SealAnswer, reviveSealed, taskTransfers } from './workers/messages.js';
import type { BufferRecycler } from './buffer-recycler.js';

export async function* sealChanges(
  tasks: AsyncIterable<SegmentTask[]>,
  g: Geometry,
  sealer: Sealer,
  pool: CpuPool | null,
  buffers?: BufferRecycler,
): AsyncIterable<SealedChange> {
  const inFlight: Promise<SealedChange[]>[] = [];
  // One batch queued behind each busy worker keeps them fed; more only costs memory.
  const limit = pool ? pool.size + 1 : 1;
  const dispatch = (batch: SegmentTask[]) => {
    const p = pool
      ? pool.run({ kind: 'seal', tasks: batch }, taskTransfers(batch)).then((r) => {
          const answer = r as SealAnswer;
          buffers?.give(answer.spent);
          return reviveSealed(answer.changes);
        })
      : Promise.resolve().then(() => detectAndSeal(g, sealer, batch));
    p.catch(() => {}); // awaited in order below
    inFlight.push(p);
  };
  let batch: SegmentTask[] = [];
  let bytes = 0;
  for await (const group of tasks) {
    for (const t of group) {
      batch.push(t);
      bytes += t.length;
    }
    if (bytes < READ_SIZE) continue;
    dispatch(batch);
    batch = [];
    bytes = 0;
    while (inFlight.length >= limit) yield* await inFlight.shift()!;
  }
  if (batch.length) dispatch(batch);
  while (inFlight.length) yield* await inFlight.shift()!;
}

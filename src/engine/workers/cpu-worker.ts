// Worker thread for the CPU stages: backup (detect changes, seal chunks) and restore (open
// chunks, rebuild and prove segments). Holds the repository's AEAD key for its lifetime.
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Codec } from '../../format/compress.js';
import { type Sealer, makeSealer } from '../../format/seal.js';
import type { Geometry } from '../context.js';
import { detectAndSeal } from '../sealed-change.js';
import { placeSegment } from '../segment-place.js';
import { type RebuildScratch, rebuildEach } from '../segment-rebuild.js';
import { type CpuJob, type Placed, type SealAnswer, packSealed, reviveRebuild, reviveTasks, taskTransfers } from './messages.js';

interface WorkerSetup {
  geometry: Geometry;
  key: Uint8Array | null;
  codec: Codec;
}
let data: WorkerSetup;
let sealer: Sealer;
/** Where segments are built and chunks opened, one segment at a time, written, and reused. */
let scratch: RebuildScratch;
function setUp(d: WorkerSetup): void {
  data = d;
  sealer = makeSealer(d.key ? Buffer.from(d.key) : null, d.codec);
  scratch = { segment: Buffer.alloc(d.geometry.segmentSize), spare: [] };
}
// A worker started ahead (WorkerPool.prestart) gets its setup as its first message.
if (!(workerData as { deferred?: boolean }).deferred) setUp(workerData as WorkerSetup);

/** Writes all of `bytes` at `position` (the restore target is shared by the process's threads). */
function writeFully(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

parentPort?.on('message', (job: CpuJob | { kind: 'init'; data: WorkerSetup }) => {
  if (job.kind === 'init') {
    setUp(job.data);
    return;
  }
  try {
    if (job.kind === 'seal') {
      const tasks = reviveTasks(job.tasks);
      // packSealed copies every result out of the task buffers, so they can go back for reuse.
      const spent = taskTransfers(tasks);
      const { value, transfer } = packSealed(detectAndSeal(data.geometry, sealer, tasks), spent);
      const answer: SealAnswer = { changes: value, spent };
      parentPort?.postMessage({ ok: true, value: answer }, [...transfer, ...spent]);
    } else {
      const value: Placed[] = [];
      for (const seg of rebuildEach(data.geometry, sealer, reviveRebuild(job.job), scratch)) {
        const p = placeSegment(seg, job.write.range);
        for (const [pos, bytes] of p.writes) writeFully(job.write.fd, bytes, pos);
        value.push({ damage: p.damage, bytesData: p.bytesData, bytesDone: p.bytesDone });
      }
      parentPort?.postMessage({ ok: true, value });
    }
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: (err as Error).message });
  }
});

// Worker thread for the CPU stages: backup (detect changes, seal chunks) and restore (open
// chunks, rebuild and prove segments). Holds the repository's AEAD key for its lifetime.
import { parentPort, workerData } from 'node:worker_threads';
import type { Codec } from '../../format/compress.js';
import { makeSealer } from '../../format/seal.js';
import type { Geometry } from '../context.js';
import { detectAndSeal } from '../sealed-change.js';
import { rebuildSegments } from '../segment-rebuild.js';
import { type CpuJob, type SealAnswer, packSealed, reviveRebuild, reviveTasks, taskTransfers } from './messages.js';

const data = workerData as { geometry: Geometry; key: Uint8Array | null; codec: Codec };
const sealer = makeSealer(data.key ? Buffer.from(data.key) : null, data.codec);

parentPort?.on('message', (job: CpuJob) => {
  try {
    if (job.kind === 'seal') {
      const tasks = reviveTasks(job.tasks);
      // packSealed copies every result out of the task buffers, so they can go back for reuse.
      const { value, transfer } = packSealed(detectAndSeal(data.geometry, sealer, tasks));
      const spent = taskTransfers(tasks);
      const answer: SealAnswer = { changes: value, spent };
      parentPort?.postMessage({ ok: true, value: answer }, [...transfer, ...spent]);
    } else {
      const value = rebuildSegments(data.geometry, sealer, reviveRebuild(job.job));
      // Two segments may share one chunk's buffer: transfer each buffer once.
      parentPort?.postMessage({ ok: true, value }, [...new Set(value.map((s) => s.data.buffer as ArrayBuffer))]);
    }
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: (err as Error).message });
  }
});

import { fstatSync, statSync } from 'node:fs';
import { INLINE_BELOW } from '../../defaults.js';
import { UsageError } from '../../errors.js';
import { shortId, snapshotId } from '../../repo/catalog.js';
import { prepareColdRestore } from '../../repo/cold-restore.js';
import { prestartCpuPool } from '../../engine/index.js';
import { restoreSnapshot } from '../../repo/jobs.js';
import { flag, int, need, parse, str } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { Output, bytes } from '../output.js';
import { REHYDRATE_OPTIONS, planFigures, planLines, rehydrateRequest, rehydrationFigures } from '../rehydrate-flags.js';

export async function restoreCommand(argv: string[]): Promise<number> {
  const v = parse('restore', argv, {
    repo: { type: 'string' },
    volume: { type: 'string' },
    snapshot: { type: 'string' },
    target: { type: 'string' },
    offset: { type: 'string' },
    length: { type: 'string' },
    overwrite: { type: 'boolean' },
    ...REHYDRATE_OPTIONS,
  });
  const out = new Output(v);
  const volume = need(v, 'volume', 'restore');
  const snapshot = need(v, 'snapshot', 'restore');
  const planOnly = flag(v, 'plan-only');
  const target = planOnly ? (str(v, 'target') ?? '') : need(v, 'target', 'restore');
  if (target === '-' || isStdout(target)) out.resultsToStderr();
  const offset = int(v, 'offset');
  const length = int(v, 'length');
  if ((offset === undefined) !== (length === undefined)) throw new UsageError('restore: --offset and --length go together');
  // A range known to be short is restored on this thread: no worker to start ahead then.
  if (!planOnly && (length === undefined || length >= INLINE_BELOW)) prestartCpuPool();
  const { repo, counters } = await openRepository(v, 'restore');
  out.objectsRead = () => counters.requests.get;
  out.log(`restoring ${snapshot} of ${volume} to ${target}`, 'restore', { volume, snapshot, target });
  const range = { ...(offset !== undefined ? { offset } : {}), ...(length !== undefined ? { length } : {}) };
  const cold = await prepareColdRestore(repo, await rehydrateRequest(v, out, { volume, snapshot, ...range }));
  if (planOnly && cold.plan) {
    out.result({ ...planFigures(cold.plan), ...storeFigures(counters) }, () => planLines(cold.plan!));
    return 0;
  }
  const r = await restoreSnapshot(repo, {
    volume,
    snapshot,
    target,
    ...(offset !== undefined ? { offset } : {}),
    ...(length !== undefined ? { length } : {}),
    overwrite: flag(v, 'overwrite'),
    onProgress: out.progress,
  });
  out.result(
    { snapshot: snapshotId(r.manifest), bytesWritten: r.bytesWritten, bytesData: r.bytesData, durationMs: r.durationMs, rehydration: rehydrationFigures(cold.rehydration), ...storeFigures(counters) },
    () => `restored snapshot ${shortId(r.manifest)} of ${volume} to ${target}: ${bytes(r.bytesWritten)} (${bytes(r.bytesData)} of data) in ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  return 0;
}

/** Whether a target path is this process's standard output (/dev/stdout, /proc/self/fd/1, ...). */
function isStdout(path: string): boolean {
  try {
    const a = statSync(path);
    const b = fstatSync(1);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

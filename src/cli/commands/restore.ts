import { UsageError } from '../../errors.js';
import { shortId, snapshotId } from '../../repo/catalog.js';
import { restoreSnapshot } from '../../repo/jobs.js';
import { int, need, parse } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { Output, bytes } from '../output.js';

export async function restoreCommand(argv: string[]): Promise<number> {
  const v = parse('restore', argv, {
    repo: { type: 'string' },
    volume: { type: 'string' },
    snapshot: { type: 'string' },
    target: { type: 'string' },
    offset: { type: 'string' },
    length: { type: 'string' },
  });
  const out = new Output(v);
  const volume = need(v, 'volume', 'restore');
  const snapshot = need(v, 'snapshot', 'restore');
  const target = need(v, 'target', 'restore');
  const offset = int(v, 'offset');
  const length = int(v, 'length');
  if ((offset === undefined) !== (length === undefined)) throw new UsageError('restore: --offset and --length go together');
  const { repo, counters } = await openRepository(v, 'restore');
  out.objectsRead = () => counters.requests.get;
  out.log(`restoring ${snapshot} of ${volume} to ${target}`, 'restore', { volume, snapshot, target });
  const r = await restoreSnapshot(repo, {
    volume,
    snapshot,
    target,
    ...(offset !== undefined ? { offset } : {}),
    ...(length !== undefined ? { length } : {}),
    onProgress: out.progress,
  });
  out.result(
    { snapshot: snapshotId(r.manifest), bytesWritten: r.bytesWritten, bytesData: r.bytesData, durationMs: r.durationMs, ...storeFigures(counters) },
    () => `restored snapshot ${shortId(r.manifest)} of ${volume} to ${target}: ${bytes(r.bytesWritten)} (${bytes(r.bytesData)} of data) in ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  return 0;
}

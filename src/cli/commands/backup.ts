import { prestartCpuPool } from '../../engine/index.js';
import { UsageError } from '../../errors.js';
import { shortId, snapshotId } from '../../repo/catalog.js';
import { type BackupRequest, backupVolume } from '../../repo/jobs.js';
import { flag, need, parse, str } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { readExtentsFile } from '../extents-file.js';
import { holdLease } from '../leases.js';
import { Output, bytes } from '../output.js';

export async function backupCommand(argv: string[]): Promise<number> {
  const v = parse('backup', argv, {
    repo: { type: 'string' },
    volume: { type: 'string' },
    source: { type: 'string' },
    'previous-source': { type: 'string' },
    'changed-extents': { type: 'string' },
    label: { type: 'string', multiple: true },
    time: { type: 'string' },
    base: { type: 'string' },
    'source-id': { type: 'string' },
    'verify-hints': { type: 'string' },
    'allow-empty': { type: 'boolean' },
    'rewrite-at': { type: 'string' },
  });
  const out = new Output(v);
  const volume = need(v, 'volume', 'backup');
  const sourcePath = need(v, 'source', 'backup');
  const previousSource = str(v, 'previous-source');
  const extentsFile = str(v, 'changed-extents');
  // Flags that go together or exclude each other, and their values, are checked once, by
  // backupVolume; here only what the library cannot see is read (the change list's file).
  const changedExtents = extentsFile ? await readExtentsFile(extentsFile) : undefined;
  const verifyHints = str(v, 'verify-hints') as BackupRequest['verifyHints'];
  const base = str(v, 'base');
  const sourceId = str(v, 'source-id');
  const rewriteText = str(v, 'rewrite-at');
  if (rewriteText !== undefined && !/^\d+$/.test(rewriteText)) throw new UsageError(`--rewrite-at ${rewriteText}: expected a whole number of chunks (0 turns it off)`);
  const rewriteAt = rewriteText === undefined ? undefined : Number(rewriteText);
  const labels = parseLabels((v.label as string[] | undefined) ?? []);
  const time = parseTime(str(v, 'time'));
  // Every backup but a change list's hashes and seals on worker threads: start one while the
  // repository is opened (a short change list is done on this thread, sooner than one starts).
  if (!extentsFile) prestartCpuPool();
  const { repo, counters } = await openRepository(v, 'backup');
  out.log(`backing up ${sourcePath} as volume ${volume}`);
  const signal = await holdLease(repo, { operation: 'backup', kind: 'shared', volume });
  const r = await backupVolume(repo, {
    volume,
    source: sourcePath,
    ...(previousSource ? { previousSource } : {}),
    ...(changedExtents ? { changedExtents, changedExtentsFrom: `--changed-extents ${extentsFile}` } : {}),
    labels,
    ...(time ? { time } : {}),
    ...(base !== undefined ? { base } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
    ...(verifyHints !== undefined ? { verifyHints } : {}),
    allowEmpty: flag(v, 'allow-empty'),
    ...(rewriteAt !== undefined ? { rewriteAt } : {}),
    onProgress: out.progress,
    onWarning: (m) => out.warn(m),
    signal,
  });
  const m = r.manifest;
  for (const p of r.resumeProblems) out.warn(p);
  out.result(
    {
      snapshot: snapshotId(m),
      volume: m.volume,
      parent: r.base ? snapshotId(r.base) : null,
      base: r.base ? snapshotId(r.base) : null,
      sourceId: m.sourceId,
      hints: r.hints,
      time: new Date(m.timeMs).toISOString(),
      size: m.size,
      bytesRead: r.bytesRead,
      bytesHoles: r.bytesHoles,
      bytesChanged: r.bytesChanged,
      bytesUploaded: r.bytesUploaded,
      objectsUploaded: r.objectsUploaded,
      durationMs: r.durationMs,
      mode: m.stats.mode,
      resumed: r.resumed,
      bytesReused: r.bytesReused,
      segmentsRewritten: r.segmentsRewritten,
      checkpoints: r.checkpoints,
      ...storeFigures(counters),
    },
    () =>
      `snapshot ${shortId(m)} of ${m.volume} saved: ${bytes(m.size)}, ${bytes(r.bytesChanged)} changed (${m.stats.mode}), ` +
      `${bytes(r.bytesUploaded)} uploaded in ${r.objectsUploaded} objects, ${(r.durationMs / 1000).toFixed(1)} s` +
      (r.segmentsRewritten > 0 ? `; ${r.segmentsRewritten} fragmented segment${r.segmentsRewritten === 1 ? '' : 's'} stored whole` : '') +
      (r.resumed ? `; resumed an interrupted backup, ${bytes(r.bytesReused)} not uploaded again` : ''),
  );
  return 0;
}

function parseLabels(items: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label ${item}: expected KEY=VALUE`);
    labels[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return labels;
}

function parseTime(s: string | undefined): Date | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(t)) throw new UsageError(`--time ${s} is not an ISO 8601 time`);
  return new Date(t);
}

// A scheduled (or requested) backup of one volume: hooks around taking the source's snapshot,
// the change list used only when its base is the source snapshot of a backup the repository
// still holds (recorded here per volume) and then stated as the backup's base, the backup
// under a shared lease, and the source told whether the snapshot was committed. An aborted backup (cancel,
// SIGTERM, timeout) stops at its last checkpoint; the next run resumes from there.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { listSnapshots, snapshotId } from '../repo/catalog.js';
import { type BackupReport, backupVolume } from '../repo/jobs.js';
import { acquireLease } from '../repo/lease.js';
import type { Repository } from '../repo/repository.js';
import { CommandSource } from '../sources/command.js';
import { FileSource } from '../sources/file.js';
import { withHooks } from '../sources/hooks.js';
import { RbdSource } from '../sources/rbd.js';
import type { Extent, TakenSnapshot, VolumeSource } from '../sources/source.js';
import { readState, writeState } from '../sources/state.js';
import type { VolumeConfig } from './config.js';

export function makeSource(volume: string, cfg: VolumeConfig, stateDir: string): VolumeSource {
  const s = cfg.source;
  const stateFile = join(stateDir, 'sources', `${volume}.json`);
  if (s.type === 'file') return new FileSource(s.path);
  if (s.type === 'command') return new CommandSource(s, stateFile, { SNAPTIER_VOLUME: volume });
  return new RbdSource(s, stateFile, join(stateDir, 'scratch'));
}

/** What the daemon knows of a volume's last committed backup: its snapshot and the source's name for it. */
interface VolumeState {
  snapshot: string | null;
  sourceId: string | null;
}

export interface BackupOutcome {
  doc: Record<string, unknown>;
  report: BackupReport;
  snapshots: number;
}

export async function backupJob(
  repo: Repository,
  opts: { volume: string; cfg: VolumeConfig; stateDir: string; jobId: string; signal: AbortSignal; log: Logger; onProgress: (done: number, total: number) => void },
): Promise<BackupOutcome> {
  const { volume, cfg, signal } = opts;
  await mkdir(join(opts.stateDir, 'scratch'), { recursive: true });
  const stateFile = join(opts.stateDir, 'volumes', `${volume}.json`);
  const known = await readState<VolumeState>(stateFile, { snapshot: null, sourceId: null });
  const source = makeSource(volume, cfg, opts.stateDir);
  const name = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z-${opts.jobId.slice(-8)}`;
  const env = { SNAPTIER_VOLUME: volume, SNAPTIER_JOB: opts.jobId };
  // The hooks surround the snapshot's creation only; a post hook that fails after the snapshot
  // was taken fails the job, and the source removes that snapshot (it is never a base).
  const holder: { taken: TakenSnapshot | null } = { taken: null };
  try {
    await withHooks(cfg.hooks, env, signal, async () => {
      holder.taken = await source.take({ signal, name });
    });
  } catch (err) {
    await holder.taken?.finish(false).catch(() => {});
    throw err;
  }
  const taken = holder.taken!;
  let committed = false;
  try {
    const path = await taken.open(signal);
    const timeout = cfg.timeoutSeconds > 0 ? [AbortSignal.timeout(cfg.timeoutSeconds * 1000)] : [];
    const lease = await acquireLease(repo, { operation: 'backup', kind: 'shared', volume });
    try {
      const existing = await listSnapshots(repo, volume);
      // The stated base: the list is relative to snapshot `base` of the source, and usable only
      // when the backup of exactly that snapshot is still in the repository. It is then passed
      // as the backup's base, and the library checks the list against it (verifyHints).
      let hint: { extents: Extent[]; base: string } | null = null;
      if (taken.changes) {
        const baseKept = known.snapshot !== null && existing.some((e) => snapshotId(e.manifest) === known.snapshot);
        if (taken.changes.base === known.sourceId && baseKept) hint = { extents: taken.changes.extents, base: known.snapshot! };
        else opts.log.warn({ volume, job: opts.jobId, base: taken.changes.base, recorded: known.sourceId }, 'change list ignored: its base is not a backed-up snapshot the repository still holds');
      }
      const report = await backupVolume(repo, {
        volume,
        source: path,
        ...(hint ? { changedExtents: hint.extents, changedExtentsFrom: `the change list of ${source.type} source snapshot ${taken.sourceId}`, base: hint.base } : {}),
        ...(taken.sourceId ? { sourceId: taken.sourceId } : {}),
        verifyHints: cfg.verifyHints,
        rewriteAt: cfg.rewriteAt,
        labels: cfg.labels,
        signal: AbortSignal.any([signal, lease.signal, ...timeout]),
        onProgress: (p) => opts.onProgress(p.bytesDone, p.bytesTotal),
        onWarning: (message) => opts.log.warn({ volume, job: opts.jobId }, message),
      });
      committed = true;
      const m = report.manifest;
      await writeState(stateFile, { snapshot: snapshotId(m), sourceId: taken.sourceId });
      return {
        report,
        snapshots: existing.length + 1,
        doc: {
          snapshot: snapshotId(m),
          volume: m.volume,
          parent: m.parent ? m.parent.toString('hex') : null,
          time: new Date(m.timeMs).toISOString(),
          size: m.size,
          bytesRead: report.bytesRead,
          bytesChanged: report.bytesChanged,
          bytesUploaded: report.bytesUploaded,
          objectsUploaded: report.objectsUploaded,
          durationMs: report.durationMs,
          mode: m.stats.mode,
          resumed: report.resumed,
          bytesReused: report.bytesReused,
          segmentsRewritten: report.segmentsRewritten,
          checkpoints: report.checkpoints,
          sourceId: taken.sourceId,
          base: report.base ? snapshotId(report.base) : null,
          hints: report.hints,
          changeList: hint ? { base: taken.changes?.base, extents: hint.extents.length } : null,
        },
      };
    } finally {
      await lease.release().catch(() => {});
    }
  } finally {
    // A clean-up that fails after a committed backup fails the job; after a failed one, the
    // backup's own error is the one to report.
    await taken.finish(committed).catch((err) => {
      if (committed) throw err;
      opts.log.warn({ volume, job: opts.jobId, error: (err as Error).message }, 'source clean-up failed');
    });
  }
}

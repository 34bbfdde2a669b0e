// What each kind of job does, on the library API: backup, restore, and the policies forget
// (+prune), copy, verify and drill. Each returns the `--json` document of the matching command
// and updates the metrics that belong to it.
import type { Logger } from 'pino';
import { PRUNE_GRACE_MS } from '../defaults.js';
import { errorMessage } from '../errors.js';
import { listSnapshots, snapshotId } from '../repo/catalog.js';
import { copySnapshots } from '../repo/copy.js';
import { forget } from '../repo/forget.js';
import { restoreSnapshot } from '../repo/jobs.js';
import { prune } from '../repo/prune.js';
import { acquireLease } from '../repo/lease.js';
import { tierDataPacks } from '../repo/tier.js';
import type { KeepPolicy } from '../repo/keep-policy.js';
import { backupJob } from './backup-job.js';
import type { DaemonConfig, PolicyConfig } from './config.js';
import { drill } from './drill.js';
import type { History } from './history.js';
import type { Job } from './job.js';
import type { Metrics } from './metrics.js';
import type { Repositories } from './repos.js';
import { verifyRepository } from './verify.js';

export interface WorkContext {
  config: () => DaemonConfig;
  repos: Repositories;
  metrics: Metrics;
  log: Logger;
}

type Progress = (done: number, total: number) => void;

export async function execute(ctx: WorkContext, job: Job, signal: AbortSignal, progress: Progress): Promise<Record<string, unknown>> {
  const cfg = ctx.config();
  if (job.kind === 'backup' || job.kind === 'restore') {
    const vol = cfg.volumes[job.volume ?? ''];
    if (!vol) throw new Error(`volume ${job.volume} is no longer in the configuration`);
    const repo = await ctx.repos.get(vol.repository);
    if (job.kind === 'restore') {
      const r = await restoreSnapshot(repo, { volume: job.volume!, snapshot: job.args?.snapshot ?? 'latest', target: job.args?.target ?? '', signal, onProgress: (p) => progress(p.bytesDone, p.bytesTotal) });
      return { snapshot: snapshotId(r.manifest), bytesWritten: r.bytesWritten, durationMs: r.durationMs };
    }
    const out = await backupJob(repo, { volume: job.volume!, cfg: vol, stateDir: cfg.stateDir, jobId: job.id, signal, log: ctx.log, onProgress: progress });
    const labels = { volume: job.volume! };
    ctx.metrics.lastBackup.set(labels, Date.now() / 1000);
    ctx.metrics.bytesRead.inc(labels, out.report.bytesRead);
    ctx.metrics.bytesChanged.inc(labels, out.report.bytesChanged);
    ctx.metrics.bytesUploaded.inc(labels, out.report.bytesUploaded);
    ctx.metrics.snapshots.set(labels, out.snapshots);
    if (out.report.hints) ctx.metrics.hintMismatches.inc(labels, out.report.hints.mismatched);
    return out.doc;
  }
  const policy = cfg.policies.find((p) => p.name === job.policy);
  if (!policy) throw new Error(`policy ${job.policy} is no longer in the configuration`);
  return runPolicy(ctx, cfg, policy, job, signal, progress);
}

async function runPolicy(ctx: WorkContext, cfg: DaemonConfig, p: PolicyConfig, job: Job, signal: AbortSignal, progress: Progress): Promise<Record<string, unknown>> {
  if (p.kind === 'forget') {
    const repo = await ctx.repos.get(p.repository);
    const lease = await acquireLease(repo, { operation: 'forget', kind: p.prune ? 'exclusive' : 'shared' });
    try {
      const nowMs = Date.now();
      const r = await forget(repo, { ...(p.volume !== undefined ? { volume: p.volume } : {}), policy: Object.fromEntries(Object.entries(p.keep).filter(([, n]) => n !== undefined)) as KeepPolicy, nowMs });
      const pr = p.prune ? await prune(repo, { graceMs: PRUNE_GRACE_MS, nowMs, onProgress: (x) => progress(x.bytesDone, x.bytesTotal) }) : null;
      await refreshSnapshotCounts(ctx, cfg, p.repository);
      return { keep: r.keep, remove: r.remove, objectsDeleted: r.objectsDeleted, ...(pr ? { prune: { objectsDeleted: pr.objectsDeleted, bytesFreed: pr.bytesFreed, packsDeleted: pr.packsDeleted } } : {}) };
    } finally {
      await lease.release().catch(() => {});
    }
  }
  if (p.kind === 'copy') {
    const src = await ctx.repos.get(p.from);
    const dst = await ctx.repos.get(p.to);
    const lease = await acquireLease(dst, { operation: 'copy', kind: 'shared', ...(p.volume !== undefined ? { volume: p.volume } : {}) });
    try {
      const r = await copySnapshots(src, dst, { ...(p.volume !== undefined ? { volume: p.volume } : {}), signal: AbortSignal.any([signal, lease.signal]), onProgress: (x) => progress(x.bytesDone, x.bytesTotal) });
      return { snapshots: r.copied.map((c) => snapshotId(c.source)), skipped: r.skipped.map(snapshotId), bytesUploaded: r.bytesUploaded, objectsUploaded: r.objectsUploaded, durationMs: r.durationMs };
    } finally {
      await lease.release().catch(() => {});
    }
  }
  if (p.kind === 'verify') {
    const repo = await ctx.repos.get(p.repository);
    const doc = await verifyRepository(repo, { policy: p.name, readData: p.readData, stateDir: cfg.stateDir, onProgress: progress });
    ctx.metrics.lastVerify.set({ repository: p.repository }, Date.now() / 1000);
    return doc;
  }
  if (p.kind === 'tier') {
    const repo = await ctx.repos.get(p.repository);
    const lease = await acquireLease(repo, { operation: 'tier', kind: 'shared' });
    try {
      const r = await tierDataPacks(repo, { olderThanDays: p.olderThanDays, tier: p.class, signal: AbortSignal.any([signal, lease.signal]), onMoved: progress });
      return { class: r.tier, olderThanDays: p.olderThanDays, packs: r.move.length, bytes: r.bytes, moved: r.moved, vanished: r.vanished, alreadyThere: r.alreadyThere, tooYoung: r.tooYoung };
    } finally {
      await lease.release().catch(() => {});
    }
  }
  const vol = cfg.volumes[p.volume];
  if (!vol) throw new Error(`volume ${p.volume} is no longer in the configuration`);
  const doc = await drill(await ctx.repos.get(vol.repository), {
    volume: p.volume,
    scratch: p.scratch,
    jobId: job.id,
    signal,
    onProgress: progress,
    ...(p.rehydrate ? { rehydrate: p.rehydrate } : {}),
  });
  ctx.metrics.drillSeconds.set({ volume: p.volume }, doc.restoreSeconds as number);
  return doc;
}

/**
 * After a restart, the gauges of last successes and recovery times start from the history
 * rather than empty, so an alert on backup age does not lose its series to a restart.
 */
export function seedMetrics(ctx: WorkContext, cfg: DaemonConfig, history: History): void {
  for (const volume of Object.keys(cfg.volumes)) {
    const last = history.standing({ volume }).lastSuccess?.finishedAt;
    if (last) ctx.metrics.lastBackup.set({ volume }, Date.parse(last) / 1000);
  }
  for (const p of cfg.policies) {
    const last = history.standing({ policy: p.name }).lastSuccess;
    if (!last?.finishedAt) continue;
    if (p.kind === 'verify') ctx.metrics.lastVerify.set({ repository: p.repository }, Date.parse(last.finishedAt) / 1000);
    if (p.kind === 'drill' && typeof last.result?.restoreSeconds === 'number') ctx.metrics.drillSeconds.set({ volume: p.volume }, last.result.restoreSeconds);
  }
}

/** Sets the snapshots gauge of every configured volume stored in `repository`. */
export async function refreshSnapshotCounts(ctx: WorkContext, cfg: DaemonConfig, repository?: string): Promise<void> {
  for (const [volume, v] of Object.entries(cfg.volumes)) {
    if (repository !== undefined && v.repository !== repository) continue;
    try {
      ctx.metrics.snapshots.set({ volume }, (await listSnapshots(await ctx.repos.get(v.repository), volume)).length);
    } catch (err) {
      ctx.log.warn({ volume, error: errorMessage(err) }, 'snapshots not counted');
    }
  }
}

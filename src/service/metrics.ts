// The daemon's Prometheus metrics (SERVICE.md, all prefixed snaptier_), on a registry of their
// own. Every labelled series the configuration implies is created at zero when the
// configuration is applied, so a dashboard or alert sees each volume and policy from the start.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StoreCounters } from '../store/wrap/metrics.js';
import type { DaemonConfig } from './config.js';

const OPS = ['put', 'get', 'head', 'list', 'delete'] as const;
const RESULTS = ['succeeded', 'failed', 'canceled'] as const;

export class Metrics {
  readonly registry = new Registry();
  readonly jobRuns = new Counter({ name: 'snaptier_job_runs_total', help: 'Jobs finished, by kind, volume, policy and result.', labelNames: ['kind', 'volume', 'policy', 'result'], registers: [this.registry] });
  readonly jobDuration = new Histogram({
    name: 'snaptier_job_duration_seconds',
    help: 'How long jobs ran, from start to end.',
    labelNames: ['kind'],
    buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600],
    registers: [this.registry],
  });
  readonly jobRunning = new Gauge({ name: 'snaptier_job_running', help: 'Jobs running now.', labelNames: ['kind', 'volume', 'policy'], registers: [this.registry] });
  readonly lastBackup = new Gauge({ name: 'snaptier_backup_last_success_timestamp_seconds', help: 'When the last backup of the volume succeeded (Unix seconds).', labelNames: ['volume'], registers: [this.registry] });
  readonly bytesRead = new Counter({ name: 'snaptier_backup_bytes_read_total', help: 'Bytes read from sources by backups.', labelNames: ['volume'], registers: [this.registry] });
  readonly bytesChanged = new Counter({ name: 'snaptier_backup_bytes_changed_total', help: 'Bytes backups found changed since the parent snapshot.', labelNames: ['volume'], registers: [this.registry] });
  readonly bytesUploaded = new Counter({ name: 'snaptier_backup_bytes_uploaded_total', help: 'Bytes backups sent to the store, metadata included.', labelNames: ['volume'], registers: [this.registry] });
  readonly snapshots = new Gauge({ name: 'snaptier_snapshots', help: "Snapshots of the volume in its repository, as of the daemon's last look.", labelNames: ['volume'], registers: [this.registry] });
  readonly skipped = new Counter({ name: 'snaptier_schedule_skipped_total', help: 'Scheduled runs skipped because the previous job was still running.', labelNames: ['volume', 'policy'], registers: [this.registry] });
  readonly storeRequests = new Counter({ name: 'snaptier_store_requests_total', help: 'Requests sent to the store of a repository, by operation.', labelNames: ['repository', 'op'], registers: [this.registry] });
  readonly storeRetries = new Counter({ name: 'snaptier_store_retries_total', help: 'Store requests tried again, by operation (sdk: resends inside the SDK).', labelNames: ['repository', 'op'], registers: [this.registry] });
  readonly drillSeconds = new Gauge({ name: 'snaptier_drill_restore_seconds', help: "Seconds the last restore drill of the volume took (its recovery time).", labelNames: ['volume'], registers: [this.registry] });
  readonly lastVerify = new Gauge({ name: 'snaptier_verify_last_success_timestamp_seconds', help: 'When the last verify run of the repository succeeded (Unix seconds).', labelNames: ['repository'], registers: [this.registry] });
  readonly hintMismatches = new Counter({ name: 'snaptier_hint_mismatches_total', help: "Change-list entries that did not match the base snapshot's fingerprints.", labelNames: ['volume'], registers: [this.registry] });

  /** Store counters already added to the counters above, per repository: they only grow. */
  private readonly seen = new Map<string, { requests: Record<string, number>; retries: Record<string, number> }>();

  /** Creates every series the configuration implies, at zero. */
  declare(cfg: DaemonConfig): void {
    for (const volume of Object.keys(cfg.volumes)) {
      for (const result of RESULTS) this.jobRuns.inc({ kind: 'backup', volume, policy: '', result }, 0);
      this.jobRunning.set({ kind: 'backup', volume, policy: '' }, 0);
      for (const c of [this.bytesRead, this.bytesChanged, this.bytesUploaded, this.hintMismatches]) c.inc({ volume }, 0);
      this.skipped.inc({ volume, policy: '' }, 0);
    }
    for (const p of cfg.policies) {
      const volume = p.kind === 'drill' ? p.volume : '';
      for (const result of RESULTS) this.jobRuns.inc({ kind: p.kind, volume, policy: p.name, result }, 0);
      this.jobRunning.set({ kind: p.kind, volume, policy: p.name }, 0);
      this.skipped.inc({ volume, policy: p.name }, 0);
    }
    for (const kind of new Set(['backup', ...cfg.policies.map((p) => p.kind)])) this.jobDuration.zero({ kind });
    for (const repository of Object.keys(cfg.repositories)) {
      for (const op of OPS) {
        this.storeRequests.inc({ repository, op }, 0);
        this.storeRetries.inc({ repository, op }, 0);
      }
    }
  }

  /** Adds what a repository's store counted since the last call (counters and retries by op). */
  syncStore(repository: string, counters: StoreCounters, retriesByOp: Record<string, number>): void {
    const before = this.seen.get(repository) ?? { requests: {}, retries: {} };
    for (const op of OPS) {
      const d = counters.requests[op] - (before.requests[op] ?? 0);
      if (d > 0) this.storeRequests.inc({ repository, op }, d);
      before.requests[op] = counters.requests[op];
    }
    for (const [op, n] of Object.entries(retriesByOp)) {
      const d = n - (before.retries[op] ?? 0);
      if (d > 0) this.storeRetries.inc({ repository, op }, d);
      before.retries[op] = n;
    }
    this.seen.set(repository, before);
  }

  /** A repository opened again (a reload): its new store counts from zero. */
  forgetStore(repository: string): void {
    this.seen.delete(repository);
  }
}

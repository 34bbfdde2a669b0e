// The job runner: a queue in front of `concurrency` slots (plan.ts decides what starts), each
// job's state recorded in the history as it changes, cancel through an AbortSignal, retries of
// failed jobs after a growing backoff (a new job with trigger "retry"; the failure stays in the
// history), metrics and one log line per event.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { History } from './history.js';
import { FINISHED, type Job, type JobKind, type JobTrigger } from './job.js';
import type { Metrics } from './metrics.js';
import { type Needs, planStarts } from './plan.js';

export interface JobSpec {
  kind: JobKind;
  volume: string | null;
  policy: string | null;
  repository: string | null;
  needs: Needs;
  attempt?: number;
  args?: Job['args'];
}

export interface RunnerDeps {
  history: History;
  metrics: Metrics;
  log: Logger;
  concurrency: () => number;
  /** Runs a job; resolves to its `--json` document. */
  execute: (job: Job, signal: AbortSignal, progress: (done: number, total: number) => void) => Promise<Record<string, unknown>>;
  /** The retry settings of a job's volume, if any. */
  retryOf: (job: Job) => { attempts: number; backoffSeconds: number } | null;
  now?: () => Date;
}

interface Running {
  job: Job;
  needs: Needs;
  abort: AbortController;
  canceled: boolean;
  done: Promise<void>;
}

export class Conflict extends Error {}

export class Runner {
  private queue: Array<{ job: Job; needs: Needs }> = [];
  private readonly running = new Map<string, Running>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(private readonly deps: RunnerDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Whether a job of this volume or policy is queued or running. */
  busy(key: { volume?: string | null; policy?: string | null }): boolean {
    const match = (j: Job): boolean => (key.policy ? j.policy === key.policy : key.volume ? j.volume === key.volume : false);
    return this.queue.some((q) => match(q.job)) || this.live().some((r) => match(r.job));
  }

  /**
   * Running jobs that have not finished. A job's state turns final a moment before it leaves the
   * running map (its history record is written in between); a client that has seen it finish must
   * be able to submit the next job for that volume at once.
   */
  private live(): Running[] {
    return [...this.running.values()].filter((r) => !FINISHED.has(r.job.state));
  }

  isRunning(volume: string): boolean {
    return this.busy({ volume });
  }

  liveJob(id: string): Job | undefined {
    return this.running.get(id)?.job ?? this.queue.find((q) => q.job.id === id)?.job;
  }

  /** Queues a job; Conflict when its volume (or policy) already has one queued or running. */
  async submit(spec: JobSpec, trigger: JobTrigger): Promise<Job> {
    if (this.stopping) throw new Conflict('the daemon is stopping');
    if (this.busy(spec.policy ? { policy: spec.policy } : { volume: spec.volume })) {
      throw new Conflict(spec.policy ? `policy ${spec.policy} has a job queued or running` : `volume ${spec.volume} has a job queued or running`);
    }
    const job: Job = {
      id: `${this.now().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(4).toString('hex')}`,
      kind: spec.kind,
      volume: spec.volume,
      policy: spec.policy,
      repository: spec.repository,
      state: 'queued',
      trigger,
      attempt: spec.attempt ?? 1,
      queuedAt: this.now().toISOString(),
      startedAt: null,
      finishedAt: null,
      progress: { bytesDone: 0, bytesTotal: 0 },
      result: null,
      error: null,
      ...(spec.args ? { args: spec.args } : {}),
    };
    await this.deps.history.record(job);
    this.deps.log.info({ job: job.id, kind: job.kind, volume: job.volume, policy: job.policy, trigger }, 'job queued');
    this.queue.push({ job, needs: spec.needs });
    this.pump();
    return job;
  }

  async cancel(id: string): Promise<boolean> {
    const r = this.running.get(id);
    if (r) {
      r.canceled = true;
      r.abort.abort(new Error('canceled'));
      return true;
    }
    const i = this.queue.findIndex((q) => q.job.id === id);
    if (i < 0) return false;
    const [q] = this.queue.splice(i, 1);
    await this.finish(q!.job, 'canceled', null, { message: 'canceled before it started', code: 'CANCELED' });
    return true;
  }

  /** No new jobs; queued ones are canceled, running ones aborted (backups stop at a checkpoint). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    for (const q of this.queue.splice(0)) await this.finish(q.job, 'canceled', null, { message: 'the daemon stopped', code: 'CANCELED' });
    for (const r of this.running.values()) {
      r.canceled = true;
      r.abort.abort(new Error('the daemon is stopping'));
    }
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private pump(): void {
    if (this.stopping) return;
    const starts = planStarts(
      this.queue.map((q) => ({ item: q, needs: q.needs })),
      [...this.running.values()].map((r) => r.needs),
      this.deps.concurrency(),
    );
    for (const q of starts) {
      this.queue.splice(this.queue.indexOf(q), 1);
      const r: Running = { job: q.job, needs: q.needs, abort: new AbortController(), canceled: false, done: Promise.resolve() };
      this.running.set(q.job.id, r);
      r.done = this.run(r);
    }
  }

  private async run(r: Running): Promise<void> {
    const { job } = r;
    const labels = { kind: job.kind, volume: job.volume ?? '', policy: job.policy ?? '' };
    job.state = 'running';
    job.startedAt = this.now().toISOString();
    this.deps.metrics.jobRunning.inc(labels);
    const t0 = Date.now();
    try {
      await this.deps.history.record(job);
      this.deps.log.info({ job: job.id, kind: job.kind, volume: job.volume, policy: job.policy, attempt: job.attempt }, 'job started');
      const result = await this.deps.execute(job, r.abort.signal, (done, total) => {
        job.progress = { bytesDone: done, bytesTotal: total };
      });
      await this.finish(job, 'succeeded', result, null);
    } catch (err) {
      const state = r.canceled ? 'canceled' : 'failed';
      const code = err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : 'ERROR';
      // A failing verify carries its findings (which packs, which snapshots) as its result.
      const doc = err && typeof err === 'object' && 'doc' in err && typeof err.doc === 'object' ? (err.doc as Record<string, unknown>) : null;
      await this.finish(job, state, doc, { message: r.canceled ? `canceled: ${errorMessage(err)}` : errorMessage(err), code: r.canceled ? 'CANCELED' : code });
      if (state === 'failed') this.scheduleRetry(job, r.needs);
    } finally {
      this.deps.metrics.jobRunning.dec(labels);
      this.deps.metrics.jobDuration.observe({ kind: job.kind }, (Date.now() - t0) / 1000);
      this.running.delete(job.id);
      this.pump();
    }
  }

  private async finish(job: Job, state: 'succeeded' | 'failed' | 'canceled', result: Record<string, unknown> | null, error: Job['error']): Promise<void> {
    job.state = state;
    job.finishedAt = this.now().toISOString();
    job.result = result;
    job.error = error;
    await this.deps.history.record(job);
    this.deps.metrics.jobRuns.inc({ kind: job.kind, volume: job.volume ?? '', policy: job.policy ?? '', result: state });
    const fields = { job: job.id, kind: job.kind, volume: job.volume, policy: job.policy, state, ...(result ? { result } : {}), ...(error ? { error: error.message } : {}) };
    if (state === 'failed') this.deps.log.error(fields, 'job failed');
    else this.deps.log.info(fields, `job ${state}`);
  }

  private scheduleRetry(job: Job, needs: Needs): void {
    const retry = this.deps.retryOf(job);
    if (!retry || job.attempt >= retry.attempts || this.stopping) return;
    const delayMs = retry.backoffSeconds * 1000 * 2 ** (job.attempt - 1);
    this.deps.log.warn({ job: job.id, volume: job.volume, attempt: job.attempt + 1, delaySeconds: delayMs / 1000 }, 'job will be retried');
    const t = setTimeout(() => {
      this.retries.delete(t);
      const spec: JobSpec = { kind: job.kind, volume: job.volume, policy: job.policy, repository: job.repository, needs, attempt: job.attempt + 1, ...(job.args ? { args: job.args } : {}) };
      this.submit(spec, 'retry').catch((err) => this.deps.log.warn({ job: job.id, volume: job.volume, error: errorMessage(err) }, 'retry not queued'));
    }, delayMs);
    this.retries.add(t);
  }

  /** Jobs finished or not, as the history and the live queue know them. */
  isFinished(job: Job): boolean {
    return FINISHED.has(job.state);
  }
}

// A fixed pool of worker threads for the CPU stages (hashing, compression, encryption), fed
// by the pipeline: each job goes to an idle worker or waits in line. When the compiled worker
// script is absent (code run from TypeScript sources without a build), jobs run inline — unless
// workers were asked for (SNAPTIER_WORKERS), which then fails instead of quietly running inline.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WORKER_YOUNG_GENERATION_MB } from '../../defaults.js';

interface Job {
  msg: unknown;
  transfer: ArrayBuffer[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The compiled JavaScript of a module named relative to `moduleUrl` (without extension): beside
 * it when running from dist/, under dist/ when running from TypeScript sources (tests), since
 * worker threads need JavaScript. Null when it has not been built.
 */
export function compiledScript(moduleUrl: string, name: string): string | null {
  // Tests of the TypeScript sources bundle the worker from those sources (test/helpers) and
  // name the bundle here, so that they run the code under test, not an older build in dist/.
  const bundled = process.env.SNAPTIER_WORKER_SCRIPT;
  if (bundled) return bundled;
  const from = fileURLToPath(moduleUrl);
  let js = fileURLToPath(new URL(`${name}.js`, moduleUrl));
  if (from.endsWith('.ts')) js = js.replace(/([/\\])src([/\\])(?!.*[/\\]src[/\\])/, '$1dist$2');
  return existsSync(js) ? js : null;
}

const limits = () => ({ maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB });

/** Workers started ahead by WorkerPool.prestart(), not yet taken. */
let warm: { script: string; workers: Worker[] } | null = null;

export class WorkerPool<In, Out> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private failure: unknown = null;

  private constructor(workers: Worker[]) {
    for (const w of workers) {
      w.ref();
      w.on('message', (m: { ok: true; value: unknown } | { ok: false; error: string }) => this.done(w, m));
      w.on('error', (err) => this.crash(err));
      this.idle.push(w);
    }
  }

  /** A pool over `script`, or null when it cannot run (no compiled script). */
  static create<In, Out>(script: string | null, workerData: unknown, size = defaultSize()): WorkerPool<In, Out> | null {
    if (!script && workersForced()) throw new Error('SNAPTIER_WORKERS asks for worker threads, but no worker script was found (build first: npm run build)');
    if (!script || size < 1) return null;
    // Started ahead by prestart(): they get their data as their first message.
    const early = warm && warm.script === script ? warm.workers.splice(0, size) : [];
    for (const w of early) w.postMessage({ kind: 'init', data: workerData });
    const fresh = Array.from({ length: size - early.length }, () => new Worker(script, { workerData, resourceLimits: limits() }));
    return new WorkerPool<In, Out>([...early, ...fresh]);
  }

  /**
   * Starts `size` workers of `script` now (at most the pool's size), for the next create() to
   * take: a worker takes ~0.1 s of CPU to start, which a command can overlap with work that
   * leaves a core idle (deriving the repository key). Workers not taken do not keep the process
   * alive, and discardWarm() ends them.
   */
  static prestart(script: string | null, size = defaultSize()): void {
    size = Math.min(size, defaultSize());
    if (!script || size < 1 || (warm?.workers.length ?? 0) > 0) return;
    const workers = Array.from({ length: size }, () => new Worker(script, { workerData: { deferred: true }, resourceLimits: limits() }));
    warm = { script, workers };
    for (const w of workers) {
      w.unref();
      // One that fails before a pool takes it is dropped, and a pool starts a fresh one instead.
      const drop = () => {
        const i = workers.indexOf(w);
        if (i >= 0) workers.splice(i, 1);
      };
      w.once('error', drop);
      w.once('exit', drop);
    }
  }

  /** Ends the workers prestart() started that no pool took (the job ran on the main thread). */
  static discardWarm(): void {
    for (const w of warm?.workers.splice(0) ?? []) void w.terminate();
  }

  get size(): number {
    return this.idle.length + this.busy.size;
  }

  run(msg: In, transfer: ArrayBuffer[] = []): Promise<Out> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ msg, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job);
      w.postMessage(job.msg, job.transfer);
    }
  }

  private done(w: Worker, m: { ok: true; value: unknown } | { ok: false; error: string }): void {
    const job = this.busy.get(w);
    this.busy.delete(w);
    this.idle.push(w);
    if (job) {
      jobsOnWorkers++;
      if (m.ok) job.resolve(m.value);
      else job.reject(new Error(m.error));
    }
    this.pump();
  }

  private crash(err: unknown): void {
    this.failure = err;
    for (const job of [...this.busy.values(), ...this.queue]) job.reject(err);
    this.busy.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }
}

/** Workers started ahead and not yet taken or ended: how a test sees prestart() at work. */
export function warmWorkers(): number {
  return warm?.workers.length ?? 0;
}

/** Jobs answered by a worker thread in this process: how a test proves the worker path ran. */
let jobsOnWorkers = 0;

export function workerJobsDone(): number {
  return jobsOnWorkers;
}

/**
 * True when SNAPTIER_WORKERS asks for workers explicitly: then even small jobs, which would
 * otherwise run on the main thread, use them (tests of the worker paths on small images).
 */
export function workersForced(): boolean {
  const env = process.env.SNAPTIER_WORKERS;
  return env !== undefined && /^\d+$/.test(env) && Number(env) > 0;
}

/** Two cores here: workers on both, the main thread mostly waits on I/O. Override: SNAPTIER_WORKERS. */
function defaultSize(): number {
  const env = process.env.SNAPTIER_WORKERS;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return Math.max(1, Math.min(4, availableParallelism()));
}

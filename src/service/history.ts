// Job history in the state directory: append-only JSON lines (jobs.jsonl), one line per change
// of a job, each write fsync'd before it counts. On start the lines are folded (the last line
// of a job wins); a torn last line, left by a crash mid-write, is ignored and cut off so that
// later appends start on a fresh line. A job found queued or running was cut short by a crash:
// it is recorded as failed.
import { mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { FINISHED, type Job } from './job.js';

/** Lines beyond two per job before the file is compacted on start. */
const COMPACT_SLACK = 1000;

export class History {
  private readonly jobs = new Map<string, Job>();
  private chain: Promise<void> = Promise.resolve();

  private constructor(readonly file: string) {}

  static async open(stateDir: string, nowIso: string): Promise<History> {
    await mkdir(stateDir, { recursive: true });
    const h = new History(join(stateDir, 'jobs.jsonl'));
    const text = await readFile(h.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    // Everything up to the last newline was written whole; what follows it is a torn write.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of whole.split('\n')) {
      if (!line) continue;
      try {
        const job = JSON.parse(line) as Job;
        h.jobs.set(job.id, job);
      } catch {
        // A line damaged in the middle of the file (not by us): the jobs around it still count.
      }
    }
    if (whole.length !== text.length) await truncate(h.file, Buffer.byteLength(whole));
    // Each job's earlier lines are dead weight once it has more: the file is rewritten with
    // the last line of each job (beside, fsync'd, renamed) when they are most of it.
    const lines = whole.split('\n').length - 1;
    if (lines > 2 * h.jobs.size + COMPACT_SLACK) await h.compact();
    for (const job of h.jobs.values()) {
      if (!FINISHED.has(job.state)) {
        await h.record({ ...job, state: 'failed', finishedAt: nowIso, error: { message: 'the daemon stopped before the job finished', code: 'INTERRUPTED' } });
      }
    }
    return h;
  }

  private async compact(): Promise<void> {
    const tmp = `${this.file}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.write([...this.jobs.values()].map((j) => `${JSON.stringify(j)}\n`).join(''));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.file);
  }

  /** Records a job's new state; resolves once it is on disk. */
  record(job: Job): Promise<void> {
    const copy = structuredClone(job);
    this.jobs.set(copy.id, copy);
    const line = `${JSON.stringify(copy)}\n`;
    this.chain = this.chain.then(async () => {
      const fh = await open(this.file, 'a');
      try {
        await fh.write(line);
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
    return this.chain;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Newest first. */
  list(filter: { volume?: string; state?: string; limit?: number } = {}): Job[] {
    const out = [...this.jobs.values()]
      .filter((j) => (filter.volume === undefined || j.volume === filter.volume) && (filter.state === undefined || j.state === filter.state))
      .sort((a, b) => (a.queuedAt < b.queuedAt ? 1 : a.queuedAt > b.queuedAt ? -1 : a.id < b.id ? 1 : -1));
    return filter.limit !== undefined ? out.slice(0, filter.limit) : out;
  }

  /** The last job of a volume or policy that succeeded, and the first time it was ever queued. */
  standing(key: { volume?: string; policy?: string }): { lastSuccess: Job | null; lastRun: Job | null; firstQueuedAt: string | null } {
    let lastSuccess: Job | null = null;
    let lastRun: Job | null = null;
    let first: string | null = null;
    for (const j of this.jobs.values()) {
      if (key.policy !== undefined ? j.policy !== key.policy : j.policy !== null || j.volume !== key.volume || j.kind !== 'backup') continue;
      if (first === null || j.queuedAt < first) first = j.queuedAt;
      if (j.finishedAt && (!lastRun || j.finishedAt > (lastRun.finishedAt ?? ''))) lastRun = j;
      if (j.state === 'succeeded' && (!lastSuccess || (j.finishedAt ?? '') > (lastSuccess.finishedAt ?? ''))) lastSuccess = j;
    }
    return { lastSuccess, lastRun, firstQueuedAt: first };
  }
}

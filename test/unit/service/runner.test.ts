// The runner's contract with API clients: a job seen finished no longer blocks its volume, a
// second job of a busy volume is refused, and queued work waits for its volume's running job.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { History } from '../../../src/service/history.js';
import type { Job } from '../../../src/service/job.js';
import { Metrics } from '../../../src/service/metrics.js';
import { Conflict, type JobSpec, Runner } from '../../../src/service/runner.js';

const spec = (volume: string): JobSpec => ({ kind: 'backup', volume, policy: null, repository: 'main', needs: { volume, repositories: ['main'], exclusive: false } });

describe('Runner', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runner-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the next job of a volume as soon as the last one shows finished, while its record is still being written', async () => {
    const history = await History.open(dir, new Date().toISOString());
    // The final record of the first job is held until the test lets it go: the job reads
    // "succeeded" to a client that polls, but the runner has not yet let go of it.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const record = history.record.bind(history);
    history.record = async (job: Job) => {
      const p = record(job);
      if (job.state === 'succeeded' && job.attempt === 1 && job.kind === 'backup') await held;
      return p;
    };
    const started: string[] = [];
    const runner = new Runner({
      history,
      metrics: new Metrics(),
      log: pino({ level: 'silent' }),
      concurrency: () => 2,
      execute: async (job) => {
        started.push(job.kind);
        return { ok: true };
      },
      retryOf: () => null,
    });
    const first = await runner.submit(spec('v1'), 'api');
    await expect.poll(() => first.state).toBe('succeeded');
    expect(runner.isRunning('v1')).toBe(false);
    const second = await runner.submit({ ...spec('v1'), kind: 'restore' }, 'api');
    // It waits for its volume's slot: the first job has not left the running set yet.
    expect(second.state).toBe('queued');
    await expect(runner.submit({ ...spec('v1'), kind: 'restore' }, 'api')).rejects.toBeInstanceOf(Conflict);
    release();
    await expect.poll(() => second.state).toBe('succeeded');
    expect(started).toEqual(['backup', 'restore']);
    await runner.stop();
  });
});

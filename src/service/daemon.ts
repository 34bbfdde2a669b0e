// `snaptier daemon`: the composition root of the service. Loads the configuration, opens the
// history, starts the runner, the schedules (with one catch-up run per item that missed a
// time) and the HTTP API, and handles signals: SIGHUP reloads (an invalid file is refused and
// the old configuration stays), SIGTERM/SIGINT stop taking jobs, abort running ones (backups
// stop at a checkpoint) and exit 0.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { errorMessage } from '../errors.js';
import { listSnapshots, snapshotId, userLabels } from '../repo/catalog.js';
import { type DaemonConfig, ConfigError, loadConfig } from './config.js';
import { nextRuns } from './cron.js';
import { History } from './history.js';
import { type ApiBackend, HttpError, startHttp } from './http.js';
import { FINISHED, type Job } from './job.js';
import { Metrics } from './metrics.js';
import { Repositories } from './repos.js';
import { Conflict, type JobSpec, Runner } from './runner.js';
import { type Item, Scheduler, planCatchUp } from './scheduler.js';
import { execute, refreshSnapshotCounts } from './work.js';

/** How long /healthz waits for each repository. */
const HEALTH_TIMEOUT_MS = 5_000;

/** How long SIGTERM waits for running jobs to stop, below the contract's 30 s. */
const STOP_GRACE_MS = 25_000;

interface ScheduledItem extends Item {
  spec: JobSpec;
}

/** `--check`: validates and prints each schedule's next 3 runs. Returns the exit code. */
export async function checkConfig(file: string, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  let cfg: DaemonConfig;
  try {
    cfg = await loadConfig(file);
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) err(p);
      return 2;
    }
    throw e;
  }
  const now = new Date();
  for (const item of items(cfg)) {
    const what = item.policy ? `policy ${item.policy}` : `volume ${item.volume}`;
    out(`${what} (${item.schedule}): ${nextRuns(item.schedule, 3, now).map((d) => d.toISOString()).join(', ')}`);
  }
  out(`${file}: ok, ${Object.keys(cfg.volumes).length} volume(s), ${cfg.policies.length} policy(ies)`);
  return 0;
}

function items(cfg: DaemonConfig): ScheduledItem[] {
  const out: ScheduledItem[] = [];
  for (const [volume, v] of Object.entries(cfg.volumes)) {
    out.push({ volume, policy: null, schedule: v.schedule, spec: backupSpec(cfg, volume) });
  }
  for (const p of cfg.policies) {
    const spec = policySpec(cfg, p.name);
    out.push({ volume: spec.volume, policy: p.name, schedule: p.schedule, spec });
  }
  return out;
}

function backupSpec(cfg: DaemonConfig, volume: string): JobSpec {
  const repository = cfg.volumes[volume]!.repository;
  return { kind: 'backup', volume, policy: null, repository, needs: { volume, repositories: [repository], exclusive: false } };
}

function policySpec(cfg: DaemonConfig, name: string): JobSpec {
  const p = cfg.policies.find((x) => x.name === name)!;
  const base = { kind: p.kind, policy: p.name } as const;
  if (p.kind === 'forget') return { ...base, volume: null, repository: p.repository, needs: { volume: null, repositories: [p.repository], exclusive: p.prune } };
  if (p.kind === 'copy') return { ...base, volume: null, repository: p.to, needs: { volume: null, repositories: [p.from, p.to], exclusive: false } };
  if (p.kind === 'verify') return { ...base, volume: null, repository: p.repository, needs: { volume: null, repositories: [p.repository], exclusive: false } };
  const repository = cfg.volumes[p.volume]!.repository;
  return { ...base, volume: p.volume, repository, needs: { volume: p.volume, repositories: [repository], exclusive: false } };
}

async function readToken(cfg: DaemonConfig): Promise<string> {
  if (cfg.tokenFile) return (await readFile(cfg.tokenFile, 'utf8')).trim();
  return process.env.SNAPTIER_DAEMON_TOKEN ?? '';
}

/** Runs the daemon until SIGTERM/SIGINT; resolves to the exit code. */
export async function runDaemon(file: string, err: (line: string) => void): Promise<number> {
  let cfg: DaemonConfig;
  let token: string;
  try {
    cfg = await loadConfig(file);
    token = await readToken(cfg);
  } catch (e) {
    if (e instanceof ConfigError) for (const p of e.problems) err(p);
    else err(`snaptier daemon: ${errorMessage(e)}`);
    return e instanceof ConfigError ? 2 : 1;
  }
  const log: Logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } });
  const metrics = new Metrics();
  metrics.declare(cfg);
  const repos = new Repositories(cfg.repositories, metrics);
  const history = await History.open(cfg.stateDir, new Date().toISOString());
  const ctx = { config: () => cfg, repos, metrics, log };
  const runner = new Runner({
    history,
    metrics,
    log,
    concurrency: () => cfg.concurrency,
    execute: (job, signal, progress) => execute(ctx, job, signal, progress),
    retryOf: (job) => (job.kind === 'backup' && job.volume && cfg.volumes[job.volume] ? cfg.volumes[job.volume]!.retry : null),
  });
  const submit = (item: ScheduledItem, trigger: 'schedule' | 'catch-up'): void => {
    const key = { volume: item.volume ?? '', policy: item.policy ?? '' };
    if (runner.busy(item.policy ? { policy: item.policy } : { volume: item.volume })) {
      metrics.skipped.inc(key);
      log.warn({ volume: item.volume, policy: item.policy, trigger }, 'schedule skipped: the previous job is still queued or running');
      return;
    }
    runner.submit(item.spec, trigger).catch((e) => log.error({ volume: item.volume, policy: item.policy, error: errorMessage(e) }, 'job not queued'));
  };
  const scheduler = new Scheduler<ScheduledItem>((item) => submit(item, 'schedule'));
  const apply = (c: DaemonConfig): void => {
    scheduler.apply(items(c));
  };

  const api: ApiBackend = {
    token: () => token,
    health: async () => {
      const problems: string[] = [];
      for (const name of Object.keys(cfg.repositories)) {
        // A store that does not answer is retried inside for up to its time budget: the probe
        // answers sooner, as a load balancer or kubelet waits only seconds.
        const probe = (async () => {
          const repo = await repos.get(name);
          await repo.store.head('config');
        })();
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS / 1000} s`)), HEALTH_TIMEOUT_MS).unref());
        try {
          await Promise.race([probe, timeout]);
        } catch (e) {
          probe.catch(() => {});
          problems.push(`repository ${name}: ${errorMessage(e)}`);
        }
      }
      return problems;
    },
    metrics: async () => {
      repos.syncMetrics();
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
    volumes: () =>
      Object.entries(cfg.volumes).map(([name, v]) => {
        const s = history.standing({ volume: name });
        return {
          name,
          repository: v.repository,
          schedule: v.schedule,
          nextRun: scheduler.nextRun({ volume: name })?.toISOString() ?? null,
          lastRun: s.lastRun?.finishedAt ?? null,
          lastSuccess: s.lastSuccess?.finishedAt ?? null,
          lastSnapshot: (s.lastSuccess?.result?.snapshot as string | undefined) ?? null,
          running: runner.isRunning(name),
        };
      }),
    snapshots: async (volume) => {
      const v = cfg.volumes[volume];
      if (!v) throw new HttpError(404, `no volume ${volume} in the configuration`);
      // As snapshots --json: parents named by their listed ids (copies of old versions).
      const list = (await listSnapshots(await repos.get(v.repository), volume)).map((e) => e.manifest);
      const listed = new Map(list.map((m) => [m.id.toString('hex'), snapshotId(m)]));
      return list.map((m) => ({
        id: snapshotId(m),
        volume: m.volume,
        parent: m.parent ? (listed.get(m.parent.toString('hex')) ?? m.parent.toString('hex')) : null,
        time: new Date(m.timeMs).toISOString(),
        size: m.size,
        labels: userLabels(m),
        sourceId: m.sourceId,
      }));
    },
    jobs: (filter) => history.list(filter).map((j) => runner.liveJob(j.id) ?? j),
    job: (id) => runner.liveJob(id) ?? history.get(id),
    submit: async (body) => submitRequest(cfg, runner, body),
    cancel: async (id) => {
      const job = runner.liveJob(id) ?? history.get(id);
      if (!job) throw new HttpError(404, `no job ${id}`);
      if (FINISHED.has(job.state)) throw new HttpError(409, `job ${id} has ${job.state} already`);
      await runner.cancel(id);
    },
  };

  const [host, portText] = splitListen(cfg.listen);
  const { server, address } = await startHttp(api, host, Number(portText));
  await writeFile(join(cfg.stateDir, 'listen'), `${address}\n`);
  log.info({ listen: address, volumes: Object.keys(cfg.volumes).length, policies: cfg.policies.length }, 'daemon started');
  apply(cfg);
  const now = new Date();
  for (const item of planCatchUp(items(cfg), (i) => {
    const s = history.standing(i.policy ? { policy: i.policy } : { volume: i.volume ?? '' });
    return { lastSuccess: s.lastSuccess?.finishedAt ?? null, firstQueuedAt: s.firstQueuedAt };
  }, now)) {
    submit(item, 'catch-up');
  }
  void refreshSnapshotCounts(ctx, cfg);

  return new Promise<number>((resolve) => {
    const reload = async (): Promise<void> => {
      try {
        const next = await loadConfig(file);
        const nextToken = await readToken(next);
        cfg = next;
        token = nextToken;
        repos.update(next.repositories);
        metrics.declare(next);
        apply(next);
        log.info({ volumes: Object.keys(next.volumes).length, policies: next.policies.length }, 'configuration reloaded');
      } catch (e) {
        log.error({ problems: e instanceof ConfigError ? e.problems : [errorMessage(e)] }, 'configuration reload refused; the previous configuration stays');
      }
    };
    const onHup = (): void => void reload();
    const onStop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', onStop);
      process.off('SIGINT', onStop);
      process.off('SIGHUP', onHup);
      log.info({ signal }, 'daemon stopping');
      scheduler.stop();
      void (async () => {
        // SERVICE.md: exit within 30 s. Backups stop at their next segment; a job that does not
        // heed the abort in time (a prune between deletions) is recorded as interrupted on start.
        const deadline = new Promise<void>((r) => setTimeout(r, STOP_GRACE_MS).unref());
        await Promise.race([runner.stop(), deadline]);
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections(); // keep-alive clients would hold close() open
        await closed;
        await repos.close();
        log.info({}, 'daemon stopped');
        resolve(0);
      })();
    };
    process.on('SIGHUP', onHup);
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
  });
}

function splitListen(listen: string): [string, string] {
  const i = listen.lastIndexOf(':');
  return [listen.slice(0, i).replace(/^\[(.*)\]$/, '$1'), listen.slice(i + 1)];
}

async function submitRequest(cfg: DaemonConfig, runner: Runner, body: unknown): Promise<{ id: string }> {
  if (typeof body !== 'object' || body === null) throw new HttpError(400, 'the body is a JSON object with a kind');
  const b = body as Record<string, unknown>;
  const str = (k: string): string => {
    if (typeof b[k] !== 'string' || b[k] === '') throw new HttpError(400, `${k} is required (a string) for kind ${String(b.kind)}`);
    return b[k] as string;
  };
  let spec: JobSpec;
  if (b.kind === 'backup' || b.kind === 'restore') {
    const volume = str('volume');
    if (!cfg.volumes[volume]) throw new HttpError(404, `no volume ${volume} in the configuration`);
    spec = backupSpec(cfg, volume);
    if (b.kind === 'restore') spec = { ...spec, kind: 'restore', args: { snapshot: str('snapshot'), target: str('target') } };
  } else if (b.kind === 'policy') {
    const name = str('name');
    if (!cfg.policies.some((p) => p.name === name)) throw new HttpError(404, `no policy ${name} in the configuration`);
    spec = policySpec(cfg, name);
  } else {
    throw new HttpError(400, `kind ${JSON.stringify(b.kind)} is not one of backup, policy, restore`);
  }
  try {
    const job: Job = await runner.submit(spec, 'api');
    return { id: job.id };
  } catch (e) {
    if (e instanceof Conflict) throw new HttpError(409, e.message);
    throw e;
  }
}

// The daemon's answers to the HTTP API (http.ts routes and authenticates): volumes with their
// schedule and standing, snapshots as `snapshots --json`, jobs from the history overlaid with
// live progress, job requests checked against the configuration, cancel, health and metrics.
import { errorMessage } from '../errors.js';
import { listSnapshots, snapshotId, userLabels } from '../repo/catalog.js';
import type { DaemonConfig } from './config.js';
import type { History } from './history.js';
import { type ApiBackend, HttpError } from './http.js';
import { FINISHED, type Job } from './job.js';
import type { Metrics } from './metrics.js';
import type { Repositories } from './repos.js';
import { Conflict, type JobSpec, type Runner } from './runner.js';
import type { Scheduler } from './scheduler.js';
import { type ScheduledItem, backupSpec, policySpec } from './specs.js';

/** How long /healthz waits for each repository. */
const HEALTH_TIMEOUT_MS = 5_000;

export interface ApiDeps {
  config: () => DaemonConfig;
  token: () => string;
  repos: Repositories;
  metrics: Metrics;
  history: History;
  runner: Runner;
  scheduler: Scheduler<ScheduledItem>;
}

export function makeApi(deps: ApiDeps): ApiBackend {
  const { repos, metrics, history, runner, scheduler } = deps;
  return {
    token: deps.token,
    health: async () => {
      const problems: string[] = [];
      for (const name of Object.keys(deps.config().repositories)) {
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
      Object.entries(deps.config().volumes).map(([name, v]) => {
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
      const v = deps.config().volumes[volume];
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
    submit: async (body) => submitRequest(deps.config(), runner, body),
    cancel: async (id) => {
      const job = runner.liveJob(id) ?? history.get(id);
      if (!job) throw new HttpError(404, `no job ${id}`);
      if (FINISHED.has(job.state)) throw new HttpError(409, `job ${id} has ${job.state} already`);
      await runner.cancel(id);
    },
  };
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

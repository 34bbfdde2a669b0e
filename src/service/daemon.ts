// `snaptier daemon`: the composition root of the service. Loads the configuration, opens the
// history, starts the runner, the schedules (with one catch-up run per item that missed a
// time) and the HTTP API, and handles signals: SIGHUP reloads (an invalid file is refused and
// the old configuration stays), SIGTERM/SIGINT stop taking jobs, abort running ones (backups
// stop at a checkpoint) and exit 0.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { errorMessage } from '../errors.js';
import { type DaemonConfig, ConfigError, loadConfig } from './config.js';
import { nextRuns } from './cron.js';
import { History } from './history.js';
import { makeApi } from './api.js';
import { startHttp } from './http.js';
import { Metrics } from './metrics.js';
import { Repositories } from './repos.js';
import { Runner } from './runner.js';
import { Scheduler, planCatchUp } from './scheduler.js';
import { type ScheduledItem, items } from './specs.js';
import { execute, refreshSnapshotCounts, seedMetrics } from './work.js';

/** How long SIGTERM waits for running jobs to stop, below the contract's 30 s. */
const STOP_GRACE_MS = 25_000;

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
    out(`${what} (${item.schedule}${item.timezone === 'UTC' ? '' : `, ${item.timezone}`}): ${nextRuns(item.schedule, 3, now, item.timezone).map((d) => d.toISOString()).join(', ')}`);
  }
  out(`${file}: ok, ${Object.keys(cfg.volumes).length} volume(s), ${cfg.policies.length} policy(ies)`);
  return 0;
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

  const api = makeApi({ config: () => cfg, token: () => token, repos, metrics, history, runner, scheduler });

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
  seedMetrics(ctx, cfg, history);
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

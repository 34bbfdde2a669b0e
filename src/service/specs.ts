// What each schedule of the configuration runs: a job spec per volume (its backup) and per
// policy, with what the job needs (its volume, its repositories, exclusively or not).
import type { DaemonConfig } from './config.js';
import type { JobSpec } from './runner.js';
import type { Item } from './scheduler.js';

export interface ScheduledItem extends Item {
  spec: JobSpec;
}

export function items(cfg: DaemonConfig): ScheduledItem[] {
  const out: ScheduledItem[] = [];
  for (const [volume, v] of Object.entries(cfg.volumes)) {
    out.push({ volume, policy: null, schedule: v.schedule, timezone: cfg.timezone, spec: backupSpec(cfg, volume) });
  }
  for (const p of cfg.policies) {
    const spec = policySpec(cfg, p.name);
    out.push({ volume: spec.volume, policy: p.name, schedule: p.schedule, timezone: cfg.timezone, spec });
  }
  return out;
}

export function backupSpec(cfg: DaemonConfig, volume: string): JobSpec {
  const repository = cfg.volumes[volume]!.repository;
  return { kind: 'backup', volume, policy: null, repository, needs: { volume, repositories: [repository], exclusive: false } };
}

export function policySpec(cfg: DaemonConfig, name: string): JobSpec {
  const p = cfg.policies.find((x) => x.name === name)!;
  const base = { kind: p.kind, policy: p.name } as const;
  if (p.kind === 'forget') return { ...base, volume: null, repository: p.repository, needs: { volume: null, repositories: [p.repository], exclusive: p.prune } };
  if (p.kind === 'copy') return { ...base, volume: null, repository: p.to, needs: { volume: null, repositories: [p.from, p.to], exclusive: false } };
  if (p.kind === 'tier') return { ...base, volume: null, repository: p.repository, needs: { volume: null, repositories: [p.repository], exclusive: false } };
  if (p.kind === 'verify') return { ...base, volume: null, repository: p.repository, needs: { volume: null, repositories: [p.repository], exclusive: false } };
  const repository = cfg.volumes[p.volume]!.repository;
  return { ...base, volume: p.volume, repository, needs: { volume: p.volume, repositories: [repository], exclusive: false } };
}

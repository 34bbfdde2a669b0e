// A small reader of the Prometheus text format for tests, and the metrics SERVICE.md promises.
export const CONTRACT_METRICS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['snaptier_job_runs_total', ['kind', 'volume', 'policy', 'result']],
  ['snaptier_job_duration_seconds_bucket', ['kind', 'le']],
  ['snaptier_job_duration_seconds_sum', ['kind']],
  ['snaptier_job_duration_seconds_count', ['kind']],
  ['snaptier_job_running', ['kind', 'volume', 'policy']],
  ['snaptier_backup_last_success_timestamp_seconds', ['volume']],
  ['snaptier_backup_bytes_read_total', ['volume']],
  ['snaptier_backup_bytes_changed_total', ['volume']],
  ['snaptier_backup_bytes_uploaded_total', ['volume']],
  ['snaptier_snapshots', ['volume']],
  ['snaptier_schedule_skipped_total', ['volume', 'policy']],
  ['snaptier_store_requests_total', ['repository', 'op']],
  ['snaptier_store_retries_total', ['repository', 'op']],
  ['snaptier_drill_restore_seconds', ['volume']],
  ['snaptier_verify_last_success_timestamp_seconds', ['repository']],
  ['snaptier_hint_mismatches_total', ['volume']],
];

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): { series: (name: string) => Series[]; value: (name: string, labels: Record<string, string>) => number | undefined } {
  const all: Series[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    all.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  const series = (name: string): Series[] => all.filter((s) => s.name === name);
  const value = (name: string, labels: Record<string, string>): number | undefined =>
    series(name).find((s) => Object.keys(labels).length === Object.keys(s.labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  return { series, value };
}

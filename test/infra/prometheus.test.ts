// infra/prometheus and infra/grafana: promtool accepts the alert rules and their unit tests pass;
// the rules and the Grafana dashboard name only metrics of the daemon's service contract, and the
// dashboard shows every one of them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PROM = join(ROOT, 'infra/prometheus');

/** The metrics of the daemon's service contract (docs: "Metrics", all prefixed snaptier_). */
const CONTRACT_METRICS = [
  'job_runs_total',
  'job_duration_seconds',
  'job_running',
  'backup_last_success_timestamp_seconds',
  'backup_bytes_read_total',
  'backup_bytes_changed_total',
  'backup_bytes_uploaded_total',
  'snapshots',
  'schedule_skipped_total',
  'store_requests_total',
  'store_retries_total',
  'drill_restore_seconds',
  'verify_last_success_timestamp_seconds',
  'hint_mismatches_total',
].map((m) => `snaptier_${m}`);
const HISTOGRAMS = ['snaptier_job_duration_seconds'];
const KNOWN = new Set([...CONTRACT_METRICS, ...HISTOGRAMS.flatMap((h) => ['_bucket', '_sum', '_count'].map((s) => h + s))]);

/** snaptier_* names in a PromQL expression, mapped back from histogram series to their metric. */
const metricsIn = (expr: string): string[] => [...expr.matchAll(/\bsnaptier_\w+/g)].map((m) => m[0]);
const baseMetric = (name: string): string => HISTOGRAMS.find((h) => name.startsWith(h)) ?? name;

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules: Rule[] = parse(readFileSync(join(PROM, 'alerts.yml'), 'utf8')).groups.flatMap((g: { rules: Rule[] }) => g.rules);

const dashboard: any = JSON.parse(readFileSync(join(ROOT, 'infra/grafana/snaptier.json'), 'utf8'));
const exprs: string[] = dashboard.panels.flatMap((p: any) => p.targets.map((t: { expr: string }) => t.expr));

describe('alert rules', () => {
  it('has the alerts the deployment promises', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'SnaptierBackupOverdue',
        'SnaptierJobFailing',
        'SnaptierVerifyOverdue',
        'SnaptierDrillSlowerThanRTO',
        'SnaptierRepositoryUnreachable',
      ]),
    );
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s names only contract metrics, with a severity and a summary', (_, rule) => {
    const unknown = metricsIn(rule.expr).filter((m) => !KNOWN.has(m));
    expect(unknown).toEqual([]);
    expect(['critical', 'warning']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary).toBeTruthy();
  });

  const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  describe.skipIf(promtool.status !== 0)('promtool (Debian package prometheus)', () => {
    const run = (...args: string[]) => spawnSync('promtool', args, { cwd: PROM, encoding: 'utf8', timeout: 60_000 });

    it('check rules accepts alerts.yml', () => {
      const r = run('check', 'rules', 'alerts.yml');
      expect(r.stdout + r.stderr).toContain('SUCCESS');
      expect(r.status).toBe(0);
    });

    it('the unit tests of alerts.test.yml pass', () => {
      const r = run('test', 'rules', 'alerts.test.yml');
      expect(r.stdout + r.stderr).toContain('SUCCESS');
      expect(r.status).toBe(0);
    });

    it('the unit tests fail when a threshold is wrong (they can fail)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'snaptier-alerts-'));
      try {
        // Only the drill's test, to keep this quick.
        const tests = parse(readFileSync(join(PROM, 'alerts.test.yml'), 'utf8'));
        tests.tests = tests.tests.filter((t: { name: string }) => t.name.includes('drill'));
        expect(tests.tests).toHaveLength(1);
        writeFileSync(join(dir, 'alerts.test.yml'), stringify(tests));
        const rules = readFileSync(join(PROM, 'alerts.yml'), 'utf8');
        expect(rules).toContain('snaptier_drill_restore_seconds > 3600');
        writeFileSync(
          join(dir, 'alerts.yml'),
          rules.replace('snaptier_drill_restore_seconds > 3600', 'snaptier_drill_restore_seconds > 36000'),
        );
        const r = spawnSync('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
        expect(r.status).not.toBe(0);
        expect(r.stdout + r.stderr).toContain('SnaptierDrillSlowerThanRTO');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('Grafana dashboard', () => {
  it('is a dashboard with unique panel ids, each on the Prometheus data source variable', () => {
    expect(dashboard.title).toBe('snaptier');
    const ids = dashboard.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a template
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(p.targets.length).toBeGreaterThan(0);
    }
  });

  it('names only metrics of the service contract', () => {
    const variables = dashboard.templating.list.map((v: { definition?: string }) => v.definition ?? '');
    const unknown = [...exprs, ...variables].flatMap(metricsIn).filter((m) => !KNOWN.has(m));
    expect(unknown).toEqual([]);
  });

  it('shows every metric of the service contract', () => {
    const shown = new Set(exprs.flatMap(metricsIn).map(baseMetric));
    expect(CONTRACT_METRICS.filter((m) => !shown.has(m))).toEqual([]);
  });
});

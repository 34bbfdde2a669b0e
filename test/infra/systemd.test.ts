// The systemd units of infra/systemd: `systemd-analyze verify` accepts every unit without a warning,
// and `systemd-analyze security --offline` rates every service (with and without its drop-ins) at an
// exposure of 4.0 or less. Both run against a throw-away root holding the units, the host's own
// system units (targets) and stand-ins for the commands the units run.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const UNITS = join(ROOT, 'infra/systemd');
const MAX_EXPOSURE = 4.0;
const HOST_UNITS = '/usr/lib/systemd/system';

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const skip = analyze.status !== 0 ? 'systemd-analyze is not installed (Debian package systemd)' : '';

/** Every unit file and drop-in folder in infra/systemd. */
const unitFiles = readdirSync(UNITS).filter((f) => /\.(service|timer)$/.test(f));
const dropIns = readdirSync(UNITS).filter((f) => f.endsWith('.d'));

/** The instance a template is checked as. */
const instance = (unit: string): string => unit.replace('@.', '@db01-data.');

let root = '';

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('systemd-analyze', [...args, `--root=${root}`], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Absolute commands of Exec*= lines (after systemd's prefixes -@:+!). */
function commands(text: string): string[] {
  return [...text.matchAll(/^Exec\w+=[-@:+!]*(\/\S+)/gm)].map((m) => m[1]!);
}

function installUnits(dropInsToo: boolean): void {
  const etc = join(root, 'etc/systemd/system');
  rmSync(etc, { recursive: true, force: true });
  mkdirSync(etc, { recursive: true });
  for (const f of unitFiles) cpSync(join(UNITS, f), join(etc, f));
  if (dropInsToo) for (const d of dropIns) cpSync(join(UNITS, d), join(etc, d), { recursive: true });
}

function exposure(unit: string): number {
  const r = run(['security', '--offline=yes', unit]);
  const m = /Overall exposure level for \S+: (\d+\.\d+)/.exec(r.stdout);
  if (!m) throw new Error(`no exposure level for ${unit}: ${r.stdout}${r.stderr}`);
  return Number(m[1]);
}

describe.skipIf(skip !== '')(`systemd units ${skip}`, () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'snaptier-systemd-'));
    cpSync(HOST_UNITS, join(root, HOST_UNITS), { recursive: true });
    // The units run bin/snaptier of an installation in /opt/snaptier, and system tools: the first is
    // ours, the others are stand-ins, as verify only checks that a command is executable.
    const snaptier = join(root, 'opt/snaptier/bin/snaptier');
    mkdirSync(dirname(snaptier), { recursive: true });
    // (a wrapper, not a symlink: verify resolves absolute links inside the root)
    writeFileSync(snaptier, `#!/bin/sh\nexec '${join(ROOT, 'bin/snaptier')}' "$@"\n`);
    chmodSync(snaptier, 0o755);
    const all = unitFiles.map((f) => readFileSync(join(UNITS, f), 'utf8')).join('\n');
    for (const cmd of new Set(commands(all))) {
      if (cmd.startsWith('/opt/snaptier/')) continue;
      mkdirSync(join(root, dirname(cmd)), { recursive: true });
      writeFileSync(join(root, cmd), '#!/bin/sh\n');
      chmodSync(join(root, cmd), 0o755);
    }
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('has the daemon service, the timer and its service', () => {
    expect(unitFiles.sort()).toEqual(['snaptier-backup@.service', 'snaptier-backup@.timer', 'snaptier.service']);
  });

  it.each(unitFiles)('systemd-analyze verify accepts %s without a warning', (unit) => {
    installUnits(true);
    const r = run(['verify', instance(unit)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  const services = unitFiles.filter((f) => f.endsWith('.service')).map(instance);
  it.each(services)(`exposure of %s alone is at most ${MAX_EXPOSURE}`, (unit) => {
    installUnits(false);
    expect(exposure(unit)).toBeLessThanOrEqual(MAX_EXPOSURE);
  });

  it.each(dropIns)(`exposure with the drop-ins of %s is at most ${MAX_EXPOSURE}`, (dir) => {
    installUnits(true);
    expect(exposure(instance(dir.slice(0, -2)))).toBeLessThanOrEqual(MAX_EXPOSURE);
  });

  it('runs the daemon as the contract says: snaptier daemon --config, sandboxed, restarted on failure', () => {
    const unit = readFileSync(join(UNITS, 'snaptier.service'), 'utf8');
    const has = (line: string): boolean => new RegExp(`^${line}$`, 'm').test(unit);
    expect(has('ExecStart=/opt/snaptier/bin/snaptier daemon --config /etc/snaptier/daemon.yml')).toBe(true);
    for (const line of ['ProtectSystem=strict', 'PrivateTmp=yes', 'NoNewPrivileges=yes', 'Restart=on-failure']) {
      expect(has(line), line).toBe(true);
    }
    expect(has('ReadWritePaths=/var/lib/snaptier')).toBe(true);
    expect(has('CapabilityBoundingSet=')).toBe(true);
  });
});

// Progress and logs (issue #13 item 7) through the binary: --verbose logs each phase of restore,
// check, prune and forget as JSON lines on stderr (never on stdout, even with --json); the
// progress line on a terminal shows totals in human units and counts objects in restore and
// check; counts in human lines are singular when they are one.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runJson, tempDir } from '../helpers/cli.js';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/cli-expect.js';
import { writeImage } from '../helpers/images.js';

const MiB = 1024 * 1024;
const SIZE = 48 * MiB;

/** The log lines of a --verbose run: every stderr line parsed as JSON. */
function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      expect(l, `a log line: ${l}`).toMatch(/^\{.*\}$/);
      return JSON.parse(l);
    });
}

describe('progress and logs', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let repo: string;
  let targets = 0;
  beforeAll(async () => {
    tmp = await tempDir();
    repo = join(tmp.path, 'repo');
    await writeImage(join(tmp.path, 'vol.img'), SIZE, 21);
    await runJson(['init', '--repo', repo]);
    await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', join(tmp.path, 'vol.img')]);
  });
  afterAll(() => tmp.cleanup());

  const phases: Array<[string, () => string[], string]> = [
    // A new target each run: restore refuses to overwrite a non-empty file.
    ['restore', () => ['restore', '--repo', repo, '--volume', 'v', '--snapshot', 'latest', '--target', join(tmp.path, `out-${++targets}.img`)], 'restore'],
    ['check', () => ['check', '--repo', repo, '--read-data'], 'checked'],
    ['prune', () => ['prune', '--repo', repo, '--dry-run'], 'pruned'],
    ['forget', () => ['forget', '--repo', repo, '--keep-last', '1', '--dry-run'], 'forget'],
  ];
  for (const [name, args, phase] of phases) {
    it(`${name} --verbose logs its phases as JSON lines on stderr, and --json keeps stdout to the document`, async () => {
      const r = await run([...args(), '--verbose', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^[^\n]+\n$/);
      JSON.parse(r.stdout);
      const logs = logLines(r.stderr);
      const seen = logs.map((l) => l.phase);
      for (const p of ['start', 'open', 'opened', phase, 'end']) expect(seen, `${name}: ${seen.join(',')}`).toContain(p);
      for (const l of logs) expect(typeof l.time === 'string' && typeof l.msg === 'string').toBe(true);
      const quiet = await run(args());
      expect(quiet.stderr).toBe('');
    });
  }

  it('says "1 snapshot", not "1 snapshots"', async () => {
    const r = await run(['check', '--repo', repo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no errors: 1 snapshot, \d+ packs?\n/);
  });

  it.runIf(HAS_SCRIPT)('draws totals in human units and counts objects read on a terminal (restore and check)', async () => {
    const restore = await runOnTerminal(
      ['restore', '--repo', repo, '--volume', 'v', '--snapshot', 'latest', '--target', join(tmp.path, 'tty.img')],
      join(tmp.path, 'tty-restore.txt'),
    );
    const check = await runOnTerminal(['check', '--repo', repo, '--read-data'], join(tmp.path, 'tty-check.txt'));
    for (const [what, r] of [['restore', restore], ['check', check]] as const) {
      expect(r.code, what).toBe(0);
      expect(r.terminal, what).toMatch(/\d+(\.\d)? (B|KiB|MiB) \/ \d+\.\d MiB/);
      expect(r.terminal, what).not.toContain(String(SIZE));
      expect(r.terminal, what).toMatch(/\b[1-9]\d* objects?\b/);
    }
  });
});

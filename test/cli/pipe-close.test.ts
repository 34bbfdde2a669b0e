// A reader that goes away (`snaptier backup --json | head -c 0`) must not turn a committed backup
// into a crash: the command ends with its own exit code and no stack trace.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runJson, tempDir } from '../helpers/cli.js';
import { writeImage } from '../helpers/images.js';

let tmp: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('snaptier-pipe-');
});
afterAll(async () => {
  await tmp?.cleanup();
});

/** Runs the binary with its stdout's read end closed at once: every write it makes gets EPIPE. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, SNAPTIER_PASSWORD: 'test-password' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout closed by its reader', () => {
  it('backup --json still commits, exits 0 and prints no stack trace', async () => {
    const repo = join(tmp.path, 'repo');
    const image = join(tmp.path, 'img');
    await runJson(['init', '--repo', repo]);
    await writeImage(image, 3 * 1024 * 1024 + 7, 5);
    const r = await runWithClosedStdout(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--json']);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(r.code, r.stderr).toBe(0);
    expect(await runJson<unknown[]>(['snapshots', '--repo', repo, '--volume', 'v'])).toHaveLength(1);
  });
});

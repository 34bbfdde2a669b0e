// init and repository paths (issue #13 item 5), through the binary: /proc/foo fails at once,
// a non-empty non-repository directory and an existing file are exit 2, a read-only file system
// says "read-only", near-miss URLs (s3:/bucket) are exit 2 with the spelling meant; and with
// --json every failure still prints one error document on stdout (item 6).
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, run, tempDir } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/cli-expect.js';

/** Whether this machine lets an unprivileged user namespace mount a tmpfs (for a read-only one). */
function canMountReadOnly(): boolean {
  try {
    execFileSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o ro none /mnt'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('init and repository paths', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir();
  });
  afterAll(() => tmp.cleanup());

  it('init --repo /proc/foo fails at once (it looped for ever), exit 1, naming the path', async () => {
    const r = await run(['init', '--repo', '/proc/snaptier-test']);
    expectOneLineError(r, 1, ['/proc/snaptier-test', 'cannot be created']);
  });

  it('init into a non-empty directory that is not a repository: exit 2, nothing written', async () => {
    const dir = join(tmp.path, 'busy');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const r = await run(['init', '--repo', dir]);
    expectOneLineError(r, 2, [dir, 'not empty']);
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('init --repo of an existing file, or of a path below a file: exit 2', async () => {
    const file = join(tmp.path, 'a-file');
    await writeFile(file, 'x');
    expectOneLineError(await run(['init', '--repo', file]), 2, [file, 'file']);
    expectOneLineError(await run(['init', '--repo', join(file, 'sub')]), 2, [join(file, 'sub'), 'file']);
  });

  it('init into an existing repository is a conflict (exit 4); into an empty directory it works', async () => {
    const dir = join(tmp.path, 'empty');
    await mkdir(dir);
    expect((await run(['init', '--repo', dir])).code).toBe(0);
    expectOneLineError(await run(['init', '--repo', dir]), 4, [dir, 'already holds']);
  });

  it.runIf(canMountReadOnly())('on a read-only file system init says read-only (not "object not found"), exit 1', async () => {
    const q = (s: string) => `'${s}'`;
    for (const target of ['/mnt', '/mnt/repo']) {
      const script = `mount -t tmpfs -o ro none /mnt && exec ${q(process.execPath)} ${q(BIN)} init --repo ${target}`;
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('unshare', ['-rm', 'sh', '-c', script], { env: { ...process.env, SNAPTIER_PASSWORD: 'pw' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
      expectOneLineError(r, 1, ['read-only'], target);
      expect(r.stderr).not.toContain('not found');
    }
  });

  const nearMisses: Array<[string, string]> = [
    ['s3:/bucket/prefix', 's3://bucket/prefix'],
    ['s3:bucket', 's3://bucket'],
    ['azure:/container', 'azure://container'],
    ['file:/srv/backups', 'file:///srv/backups'],
    ['s4://bucket', 's3://'],
  ];
  for (const [url, meant] of nearMisses) {
    it(`--repo ${url}: exit 2, did you mean ${meant}; nothing created in the working directory`, async () => {
      const cwd = join(tmp.path, `cwd-${url.replace(/\W/g, '_')}`);
      await mkdir(cwd);
      const r = await run(['init', '--repo', url], {}, cwd);
      expectOneLineError(r, 2, [url.split('/')[0]!, `did you mean ${meant}`]);
      expect(await readdir(cwd)).toEqual([]);
    });
  }

  it('--json on a failing command prints {"error": {"exitCode", "message"}} on stdout, and the line on stderr', async () => {
    const failures: Array<[string[], number]> = [
      [['init', '--repo', 's3:/bucket', '--json'], 2],
      [['snapshots', '--repo', join(tmp.path, 'nothing-here'), '--json'], 2],
      [['backup', '--volme', 'x', '--json'], 2],
      [['restore', '--repo', join(tmp.path, 'empty'), '--volume', 'v', '--snapshot', 'latest', '--target', join(tmp.path, 'o'), '--json'], 2],
      [['init', '--repo', '/proc/snaptier-test', '--json'], 1],
    ];
    for (const [args, code] of failures) {
      const r = await run(args);
      const ctx = `${args.join(' ')}: ${r.stderr}`;
      expect(r.code, ctx).toBe(code);
      expect(r.stdout, ctx).toMatch(/^[^\n]+\n$/);
      const doc = JSON.parse(r.stdout);
      expect(doc.error.exitCode, ctx).toBe(code);
      expect(typeof doc.error.message).toBe('string');
      expect(r.stderr, ctx).toBe(`snaptier: ${doc.error.message}\n`);
    }
  });
});

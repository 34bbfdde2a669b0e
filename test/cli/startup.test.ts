// What a command loads at start-up: bin/snaptier runs the bundle (dist/bundle, scripts/bundle.mjs)
// and a command loads only the code it uses. The S3 and Azure SDKs load only for s3:// and
// azure:// repositories; the daemon's packages (pino, prom-client, yaml, croner) and zod not for
// these commands; lz4 not for a zstd repository. Recorded with a loader hook and the require cache
// (test/helpers/load-recorder.mjs); the bundle's metafile names the sources inside each chunk.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_BIN, runJson, tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RECORDER = join(ROOT, 'test/helpers/load-recorder.mjs');
const BUNDLE = join(ROOT, 'dist/bundle');

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** Packages a local repository's everyday commands must not load (nor any bundle chunk holding them). */
const NOT_AT_START = ['@aws-sdk', '@smithy', '@azure', 'pino', 'prom-client', 'yaml', 'croner', 'zod'];

/** The package a node_modules path belongs to (`@scope/name` or `name`), or null. */
function packageOf(path: string): string | null {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return null;
  const m = /^(@[^/]+\/[^/]+|[^/]+)/.exec(path.slice(at + 'node_modules/'.length));
  return m ? m[1]! : null;
}

/** Runs bin/snaptier under the recorder; every source (bundle inputs, modules) it loaded. */
async function loaded(args: string[]): Promise<{ code: number | null; stderr: string; files: string[]; sources: string[] }> {
  const dir = await tempDir('snaptier-startup-');
  try {
    const logFile = join(dir.path, 'loaded.txt');
    await writeFile(logFile, '');
    const child = spawn(process.execPath, ['--import', RECORDER, REAL_BIN, ...args], {
      env: { ...process.env, SNAPTIER_PASSWORD: 'test-password', SNAPTIER_TEST_LOAD_LOG: logFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((res, rej) => child.on('error', rej).on('close', res));
    const urls = [...new Set((await readFile(logFile, 'utf8')).split('\n').filter((u) => u.startsWith('file:')))];
    const files = urls.map((u) => relative(ROOT, fileURLToPath(u)));
    const meta = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Meta;
    // A chunk stands for the sources bundled into it.
    const sources = files.flatMap((f) => (meta.outputs[f] ? Object.keys(meta.outputs[f].inputs) : [f]));
    return { code, stderr, files, sources };
  } finally {
    await dir.cleanup();
  }
}

const packages = (sources: string[]) => new Set(sources.map(packageOf).filter((p): p is string => p !== null));
const forbidden = (sources: string[], extra: string[] = []) =>
  [...packages(sources)].filter((p) => [...NOT_AT_START, ...extra].some((n) => p === n || p.startsWith(`${n}/`)));

describe('start-up: what each command loads', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let repo = '';
  let image = '';

  beforeAll(async () => {
    dir = await tempDir('snaptier-startup-repo-');
    repo = join(dir.path, 'repo');
    image = join(dir.path, 'image');
    await writeFile(image, Buffer.alloc(256 * 1024, 7));
    await runJson(['init', '--repo', repo]);
    await runJson(['backup', '--repo', repo, '--volume', 'v', '--source', image]);
  });
  afterAll(async () => dir?.cleanup());

  it('the bundle holds the SDKs, reachable only through their own chunks', () => {
    const meta = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Meta;
    const main = meta.outputs['dist/bundle/main.js'];
    expect(main, 'dist/bundle/main.js in the metafile (npm run build makes it)').toBeDefined();
    const all = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
    // Otherwise the tests below could pass because the SDKs stayed outside the bundle unseen.
    expect(all.some((i) => i.includes('node_modules/@aws-sdk/client-s3/'))).toBe(true);
    expect(all.some((i) => i.includes('node_modules/@azure/storage-blob/'))).toBe(true);
    expect(forbidden(Object.keys(main!.inputs))).toEqual([]);
  });

  it('--version runs from the bundle and loads no package', async () => {
    const r = await loaded(['--version']);
    expect(r.code).toBe(0);
    expect(r.files).toContain('dist/bundle/main.js');
    // Nothing of tsc's per-module output in dist/, and no package at all.
    expect(r.files.filter((f) => f.startsWith('dist/') && !f.startsWith('dist/bundle/'))).toEqual([]);
    expect([...packages(r.sources)]).toEqual([]);
  });

  it('snapshots of a local repository loads neither SDK, nor the daemon packages, nor lz4', async () => {
    const r = await loaded(['snapshots', '--repo', repo]);
    expect(r.code, r.stderr).toBe(0);
    // The recorder sees the command's own chunk: it would see an SDK chunk too.
    expect(r.sources).toContain('src/cli/commands/snapshots.ts');
    expect(forbidden(r.sources, ['lz4-napi'])).toEqual([]);
  });

  it('backup with a change list loads neither SDK, nor zod, nor the daemon packages', async () => {
    const extents = join(dir.path, 'extents.json');
    await writeFile(extents, JSON.stringify([{ offset: 0, length: 65536 }]));
    const r = await loaded(['backup', '--repo', repo, '--volume', 'v', '--source', image, '--changed-extents', extents]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.sources).toContain('src/cli/commands/backup.ts');
    // The require cache is read too: the zstd addon, loaded through createRequire, is there.
    expect(packages(r.sources).has('zstd-napi')).toBe(true);
    expect(forbidden(r.sources)).toEqual([]);
  });

  it('restore loads neither SDK, nor zod (only a --prices file needs it), nor the daemon packages', async () => {
    const target = join(dir.path, 'restored');
    const r = await loaded(['restore', '--repo', repo, '--volume', 'v', '--snapshot', 'latest', '--target', target]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.sources).toContain('src/cli/commands/restore.ts');
    expect(r.sources).toContain('src/repo/cold-restore.ts');
    expect(forbidden(r.sources)).toEqual([]);
  });

  it("bin/snaptier's malloc settings are ones glibc knows, with the values meant", () => {
    // The shell line of bin/snaptier that sets them, run alone; glibc ignores a misspelt tunable
    // without a word, so the dynamic loader is asked what it made of each.
    const line = readFileSync(REAL_BIN, 'utf8').split('\n')[1]!.replace(/^":" \/\/;/, '');
    const env = { ...process.env };
    delete env.GLIBC_TUNABLES;
    const exported = spawnSync('sh', ['-c', `${line}; printf %s "$GLIBC_TUNABLES"`], { env, encoding: 'utf8' }).stdout;
    expect(exported).toMatch(/^glibc\.malloc\./);
    const loader = ['/lib64/ld-linux-x86-64.so.2', '/lib/ld-linux-aarch64.so.1'].find((p) => existsSync(p));
    expect(loader, 'the glibc dynamic loader').toBeDefined();
    const listed = spawnSync(loader!, ['--list-tunables'], { env: { ...env, GLIBC_TUNABLES: exported }, encoding: 'utf8' }).stdout;
    const value = (name: string) => new RegExp(`^glibc\\.malloc\\.${name}: (0x[0-9a-f]+)`, 'm').exec(listed)?.[1];
    expect(value('hugetlb')).toBe('0x1');
    expect(value('arena_max')).toBe('0x1');
    expect(value('mmap_threshold')).toBe(`0x${(32 << 20).toString(16)}`);
    expect(value('trim_threshold')).toBe(`0x${(512 << 20).toString(16)}`);
    expect(value('top_pad')).toBe(`0x${(16 << 20).toString(16)}`);
  });

  it('bin/snaptier run as a program starts Node with huge pages for malloc, and its children without', async () => {
    // The password command runs under the node process: it reads that process's starting
    // environment (/proc) and its own.
    const seen = join(dir.path, 'tunables');
    const cmd = `tr '\\0' '\\n' < /proc/$PPID/environ | grep '^GLIBC_TUNABLES=' > ${seen}.node; env | grep '^GLIBC_TUNABLES=' > ${seen}.child; echo test-password`;
    const env: Record<string, string | undefined> = { ...process.env, SNAPTIER_PASSWORD: undefined, GLIBC_TUNABLES: undefined };
    delete env.SNAPTIER_PASSWORD;
    delete env.GLIBC_TUNABLES;
    const r = spawnSync(REAL_BIN, ['snapshots', '--repo', repo, '--json', '--password-command', cmd], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).length).toBeGreaterThan(0);
    // glibc applies every tunable but leaves only some in the environment it started with
    // (2.36 keeps hugetlb and drops the others): what the shell exported is checked below.
    expect((await readFile(`${seen}.node`, 'utf8')).trim()).toMatch(/^GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1(:|$)/);
    expect((await readFile(`${seen}.child`, 'utf8')).trim()).toBe('');
    // A tunable the user set is theirs: kept for Node and passed on.
    const own = spawnSync(REAL_BIN, ['snapshots', '--repo', repo, '--json', '--password-command', cmd], { env: { ...env, GLIBC_TUNABLES: 'glibc.malloc.check=0' }, encoding: 'utf8' });
    expect(own.status, own.stderr).toBe(0);
    expect((await readFile(`${seen}.node`, 'utf8')).trim()).toBe('GLIBC_TUNABLES=glibc.malloc.check=0');
    expect((await readFile(`${seen}.child`, 'utf8')).trim()).toBe('GLIBC_TUNABLES=glibc.malloc.check=0');
  });
});

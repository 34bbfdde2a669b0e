// infra/container/Dockerfile: it parses, names only files that exist (and that the build context
// keeps), and its runtime stage runs: the test lays out what the runtime stage copies from the
// build stage (this checkout, built, with only the production dependencies) and runs the image's
// entrypoint on the host with the image's environment. No image is built here (no registry).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCKERFILE = join(ROOT, 'infra/container/Dockerfile');
const text = readFileSync(DOCKERFILE, 'utf8');
const dockerfile = DockerfileParser.parse(text);
const ignore = readFileSync(`${DOCKERFILE}.dockerignore`, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('!'))
  .map((l) => l.slice(1).replace(/\/$/, ''));

const KEYWORDS = new Set(['FROM', 'ARG', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD', 'LABEL']);

interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}
const stages: Stage[] = [];
for (const i of dockerfile.getInstructions()) {
  if (i.getKeyword() === 'FROM') {
    const args = i.getArguments().map((a) => a.getValue());
    stages.push({ image: args[0]!, name: args[2] ?? '', instructions: [] });
  } else stages.at(-1)?.instructions.push(i);
}
const stage = (name: string): Stage => stages.find((s) => s.name === name)!;
const args = (i: Instruction): string[] => i.getArguments().map((a) => a.getValue());
const all = (s: Stage, keyword: string): Instruction[] => s.instructions.filter((i) => i.getKeyword() === keyword);
const workdir = (s: Stage): string => args(all(s, 'WORKDIR')[0]!)[0]!;
const jsonForm = (i: Instruction): string[] => {
  const lines = text
    .split('\n')
    .slice(i.getRange().start.line, i.getRange().end.line + 1)
    .join(' ')
    .replace(/\\\s+/g, ' ');
  return JSON.parse(/(\[.*\])\s*$/.exec(lines)![1]!);
};
const fromFlag = (i: Instruction): string | undefined =>
  (i as unknown as { getFromFlag(): { getValue(): string } | null }).getFromFlag()?.getValue();

describe('Dockerfile', () => {
  it('uses only known instructions, in two stages: build on Node 24, runtime on a slim Node 24', () => {
    expect(
      dockerfile
        .getInstructions()
        .map((i) => i.getKeyword())
        .filter((k) => !KEYWORDS.has(k)),
    ).toEqual([]);
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(stage('build').image).toMatch(/^node:24-/);
    expect(stage('runtime').image).toMatch(/^node:24-[a-z]+-slim$/);
  });

  it('copies from the build context only files that exist and that .dockerignore keeps', () => {
    const sources = all(stage('build'), 'COPY').flatMap((i) => args(i).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), s).toBe(true);
      // Kept when it, or a folder it lies in, is kept.
      const parts = s.split('/');
      const kept = parts.map((_, n) => parts.slice(0, n + 1).join('/')).find((p) => ignore.includes(p));
      expect(kept, `${s} is excluded from the build context`).toBeDefined();
    }
    // package.json and the lock come first, so that code changes do not reinstall dependencies.
    expect(args(all(stage('build'), 'COPY')[0]!)).toEqual(['package.json', 'package-lock.json', './']);
  });

  it('copies into the runtime only what the build stage copied or made', () => {
    const build = stage('build');
    const made: Record<string, string> = {
      node_modules: 'npm ci',
      dist: 'npm run build',
      'build/Release/snaptier_native.node': 'npm ci', // node-gyp, from binding.gyp
    };
    const runs = all(build, 'RUN').map((i) => args(i).join(' '));
    const copied = all(build, 'COPY').flatMap((i) => args(i).slice(0, -1));
    for (const i of all(stage('runtime'), 'COPY')) {
      expect(fromFlag(i)).toBe('build');
      const src = posix.relative(workdir(build), args(i)[0]!);
      if (made[src]) expect(runs).toContain(made[src]);
      else expect(copied, src).toContain(src);
    }
    expect(runs).toContain('npm prune --omit=dev'); // the runtime gets no dev dependencies
  });

  it('runs as a non-root user, with snaptier as entrypoint and a healthcheck on /healthz', () => {
    const runtime = stage('runtime');
    const user = args(all(runtime, 'USER').at(-1)!)[0]!;
    expect(user.split(':')[0]).not.toMatch(/^(0|root)$/);
    const entrypoint = jsonForm(all(runtime, 'ENTRYPOINT')[0]!);
    expect(entrypoint.at(-1)).toBe(`${workdir(runtime)}/bin/snaptier`);
    const port = args(all(runtime, 'EXPOSE')[0]!)[0];
    const health = all(runtime, 'HEALTHCHECK')[0]!;
    expect(jsonForm(health).join(' ')).toContain(`http://127.0.0.1:${port}/healthz`);
  });
});

describe('the runtime stage, run on the host', () => {
  const runtime = stage('runtime');
  let root = '';
  const env: Record<string, string> = {};
  let entrypoint: string[] = [];

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    root = mkdtempSync(join(tmpdir(), 'snaptier-image-'));
    const build = stage('build');
    // The build stage's result is this checkout, built; `npm prune --omit=dev` leaves only the
    // production dependencies, linked here from node_modules (resolved through the links).
    const production = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' })
      .stdout.split('\n')
      .map((p) => relative(ROOT, p))
      .filter((p) => p.startsWith('node_modules/') && p.split('node_modules').length === 2);
    expect(production.length).toBeGreaterThan(10);
    const at = (p: string): string => join(root, p);
    for (const i of all(runtime, 'COPY')) {
      const [src, dest] = args(i) as [string, string];
      const from = posix.relative(workdir(build), src);
      const to = posix.join(workdir(runtime), dest);
      if (from === 'node_modules') {
        for (const p of production) {
          mkdirSync(dirname(at(posix.join(workdir(runtime), p))), { recursive: true });
          symlinkSync(join(ROOT, p), at(posix.join(workdir(runtime), p)));
        }
      } else cpSync(join(ROOT, from), at(to), { recursive: true });
    }
    for (const i of all(runtime, 'ENV')) {
      for (const kv of args(i)) {
        const [k, v] = kv.split('=') as [string, string];
        env[k] = v;
      }
    }
    // tini (installed by apt-get in the image) only forwards signals: run what it runs.
    const ep = jsonForm(all(runtime, 'ENTRYPOINT')[0]!);
    entrypoint = ep[0]!.endsWith('/tini') ? ep.slice(ep.indexOf('--') + 1) : ep;
    entrypoint = entrypoint.map((p) => (p.startsWith('/') ? at(p) : p));
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Runs the image's entrypoint with these arguments, as the image's user would. */
  const run = (...argv: string[]) =>
    spawnSync(process.execPath, [entrypoint[0]!, ...entrypoint.slice(1), ...argv], {
      cwd: join(root, workdir(runtime)),
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', ...env, NODE_PRESERVE_SYMLINKS: '1', HOME: root },
    });

  it('changes nothing on the host that the image does with RUN (they install packages and a user)', () => {
    // The runtime's RUN steps are system changes, not run here; a new kind of step must be considered.
    for (const i of all(runtime, 'RUN')) expect(args(i)[0]).toMatch(/^(apt-get|groupadd)$/);
  });

  it('starts `snaptier --version`', () => {
    const r = run('--version');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(r.stdout).toContain(version);
  });

  it('creates and lists a repository with only the production dependencies (native addons included)', () => {
    const repo = join(root, 'repo');
    const init = run('init', '--repo', repo, '--no-encryption', '--compression', 'zstd');
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const list = run('snapshots', '--repo', repo, '--json');
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});

// Runs restic as a measured child process: an encrypted, compressed (repository version 2)
// local repository; a raw image is backed up as one file from a fixed path, so every backup
// after the first finds its parent by host and path (restic's own incremental rule).
import { spawnSync } from 'node:child_process';
import { accessSync as access, constants } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { listFiles, measure, repoDelta, shellLine } from './measure.mjs';
import { CommandError } from './snaptier.mjs';

export const PASSWORD = 'restic-bench-password';
export const INSTALL_HINT = 'restic not found: apt-get install -y restic';

/** restic on PATH: { bin, version } or null. */
export function findRestic() {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const bin = join(dir, 'restic');
    try {
      access(bin, constants.X_OK);
    } catch {
      continue;
    }
    const r = spawnSync(bin, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return { bin, version: r.stdout.trim() };
  }
  return null;
}

/** `site`: as snaptier()'s (list: what a repository holds; env: the store's credentials). */
export function restic(found, cacheDir, site = {}) {
  const list = site.list ?? listFiles;
  const env = { ...process.env, ...site.env, RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: cacheDir };
  for (const k of ['RESTIC_REPOSITORY', 'RESTIC_REPOSITORY_FILE', 'RESTIC_PASSWORD_FILE', 'RESTIC_PASSWORD_COMMAND', 'RESTIC_COMPRESSION', 'RESTIC_PACK_SIZE']) delete env[k];
  const shownEnv = { RESTIC_PASSWORD: '…', RESTIC_CACHE_DIR: cacheDir };

  async function run(args, cwd) {
    const res = await measure(found.bin, args, { env, cwd });
    const line = (cwd ? `(cd ${cwd} && ` : '') + shellLine(found.bin, args, shownEnv) + (cwd ? ')' : '');
    if (res.code !== 0 || res.signal) throw new CommandError('restic', line, res);
    return { ...res, line };
  }

  return {
    bin: found.bin,
    version: found.version,
    init: (repo) => run(['init', '--repo', repo, '--repository-version', '2']),

    /** Backs up `file` by its base name from its directory (a fixed path across backups). */
    async backup(repo, file) {
      const args = ['backup', '--repo', repo, '--compression', 'auto', '--host', 'bench', '--json', basename(file)];
      const before = await list(repo);
      const res = await run(args, dirname(file));
      const delta = repoDelta(before, await list(repo));
      let summary = null;
      for (const l of res.stdout.split('\n')) {
        if (l.includes('"summary"')) {
          try {
            summary = JSON.parse(l);
          } catch {}
        }
      }
      return { ...res, ...delta, json: summary };
    },

    /** Restores a snapshot (default: the latest) under `targetDir`; resolves with the restored file's path. */
    async restore(repo, targetDir, snapshot = 'latest') {
      const res = await run(['restore', snapshot, '--repo', repo, '--host', 'bench', '--target', targetDir]);
      const files = [...(await listFiles(targetDir)).keys()];
      if (files.length !== 1) throw new CommandError('restic', res.line, { ...res, code: 0, stderr: `expected one restored file under ${targetDir}, found ${files.length}` });
      return { ...res, file: join(targetDir, files[0]) };
    },
  };
}

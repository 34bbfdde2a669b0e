// Runs snaptier (bin/snaptier of this repository, built) as a measured child process.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles, measure, repoDelta, shellLine } from './measure.mjs';

export const DEFAULT_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'snaptier');
export const PASSWORD = 'snaptier-bench-password';

/** A failed command: the exact command line, exit status and its stderr. */
export class CommandError extends Error {
  constructor(tool, line, res) {
    const why = res.signal ? `killed (${res.signal})` : `exit ${res.code}`;
    super(`${tool} failed: ${line}\n  ${why}: ${(res.stderr || '(no stderr)').trim().split('\n').slice(-15).join('\n  ')}`);
    this.line = line;
    this.res = res;
  }
}

/**
 * `site.list(repo)`: what a repository holds (key -> bytes; default: the files of a directory);
 * `site.env`: variables added to the command's environment (the store's credentials).
 */
export function snaptier(bin = DEFAULT_BIN, site = {}) {
  const list = site.list ?? listFiles;
  const env = { ...process.env, ...site.env, SNAPTIER_PASSWORD: PASSWORD };
  delete env.SNAPTIER_REPOSITORY;
  delete env.SNAPTIER_KDF_LOG2N; // measure the real key derivation, as users run it
  const shownEnv = { SNAPTIER_PASSWORD: '…' };

  async function run(args) {
    const res = await measure(bin, args, { env });
    const line = shellLine(bin, args, shownEnv);
    if (res.code !== 0 || res.signal) throw new CommandError('snaptier', line, res);
    let json = null;
    if (args.includes('--json')) {
      try {
        json = JSON.parse(res.stdout);
      } catch {
        throw new CommandError('snaptier', line, { ...res, stderr: `stdout is not one JSON document: ${res.stdout.slice(0, 300)}\n${res.stderr}` });
      }
    }
    return { ...res, json, line };
  }

  return {
    bin,
    version: 'snaptier (this repository)',
    init: (repo) => run(['init', '--repo', repo]),

    /** One backup; opts: previousSource | changedExtents (array, written to a file beside), base, verifyHints. */
    async backup(repo, volume, source, opts = {}) {
      const args = ['backup', '--repo', repo, '--volume', volume, '--source', source, '--json'];
      if (opts.previousSource) args.push('--previous-source', opts.previousSource);
      if (opts.base) args.push('--base', opts.base);
      if (opts.verifyHints) args.push('--verify-hints', opts.verifyHints);
      if (opts.changedExtents) {
        const file = opts.extentsFile ?? join(dirname(source), `${volume}-extents.json`);
        writeFileSync(file, JSON.stringify(opts.changedExtents));
        args.push('--changed-extents', file);
      }
      const before = await list(repo);
      const res = await run(args);
      const delta = repoDelta(before, await list(repo));
      return { ...res, ...delta };
    },

    restore(repo, volume, snapshot, target) {
      return run(['restore', '--repo', repo, '--volume', volume, '--snapshot', snapshot, '--target', target, '--json']);
    },
  };
}

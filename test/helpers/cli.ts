// Runs bin/snaptier as a real process, as scripts and acceptance checks do.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The committed executable, exactly as users run it (full scrypt cost for new keys). */
export const REAL_BIN = resolve(import.meta.dirname, '../../bin/snaptier');
/**
 * What the suites spawn: the same main() as bin/snaptier, in a process that first lowers the
 * scrypt cost of new keys (useLowSecurityKdfForTests). A test handle, not an environment
 * variable: a real repository cannot be weakened by it.
 */
export const BIN = resolve(import.meta.dirname, 'snaptier-low-kdf.mjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Ended {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the start to the end of the process. */
  ms: number;
}

/** Starts bin/snaptier; `child` is there to signal it, `ended` resolves when it has exited. */
export function start(args: string[], env: Record<string, string | undefined> = {}, cwd?: string, bin = BIN): { child: ChildProcess; ended: Promise<Ended> } {
  const t0 = Date.now();
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, SNAPTIER_PASSWORD: 'test-password', ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const ended = new Promise<Ended>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - t0 }));
  });
  return { child, ended };
}

export async function run(args: string[], env: Record<string, string | undefined> = {}, cwd?: string, bin = BIN): Promise<RunResult> {
  const e = await start(args, env, cwd, bin).ended;
  return { code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr };
}

/** Runs and parses the --json document; fails with the stderr when the exit code is not 0. */
export async function runJson<T = any>(args: string[], env: Record<string, string | undefined> = {}): Promise<T> {
  const r = await run([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`snaptier ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export async function tempDir(prefix = 'snaptier-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

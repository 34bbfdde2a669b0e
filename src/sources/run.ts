// Runs an operator's command (a hook, a source's create/delete) or a tool (rbd) with a time
// limit: past it, or when the job is canceled, the command's process group is killed and the
// run fails. Output is kept up to a bound; stdout can instead be streamed to a file.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const KEEP_BYTES = 64 * 1024;

export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'CommandFailed';
  }
}

export interface RunOptions {
  timeoutSeconds: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
  /** Where stdout goes instead of being returned. */
  stdoutTo?: Writable;
  /** What the failure message calls it ("pre hook", "rbd snap create"). */
  what: string;
}

/** A shell command line (`sh -c`). */
export function runShell(line: string, opts: RunOptions): Promise<string> {
  return runArgv('/bin/sh', ['-c', line], opts);
}

export async function runArgv(file: string, args: string[], opts: RunOptions): Promise<string> {
  opts.signal?.throwIfAborted();
  const child = spawn(file, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  let timedOut = false;
  const kill = (): void => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, opts.timeoutSeconds * 1000);
  opts.signal?.addEventListener('abort', kill, { once: true });
  child.stderr.on('data', (d: Buffer) => {
    if (err.length < KEEP_BYTES) err += d.toString();
  });
  const piped = opts.stdoutTo
    ? pipeline(child.stdout, opts.stdoutTo)
    : new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          if (out.length < KEEP_BYTES) out += d.toString();
        });
        child.stdout.on('end', resolve);
      });
  try {
    const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    });
    await piped.catch((e: Error) => {
      if (code === 0) throw e;
    });
    opts.signal?.throwIfAborted();
    if (timedOut) throw new CommandFailed(`${opts.what} did not finish within ${opts.timeoutSeconds} s and was stopped`, true);
    if (code !== 0) {
      const why = err.trim().split('\n').slice(-3).join(' / ');
      throw new CommandFailed(`${opts.what} failed (${sig ? `signal ${sig}` : `exit ${code}`})${why ? `: ${why}` : ''}`, false);
    }
    return out;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', kill);
  }
}

// Running `snaptier serve` as a real process for the end-to-end tests, and the Debian NBD clients
// (libnbd-bin: nbdinfo, nbdcopy; qemu-utils: qemu-img, qemu-io) that talk to it.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { type Ended, start } from '../helpers/cli.js';

const exec = promisify(execFile);

export interface Served {
  child: ChildProcess;
  ended: Promise<Ended>;
  /** The NBD URI of the served export (default export name). */
  uri: string;
  socket: string;
  /** Every stderr line so far. */
  stderr: () => string;
  /** Resolves with the first stderr line that matches. */
  waitFor: (pattern: RegExp) => Promise<string>;
  /** SIGTERM, then the --json summary and the exit code. */
  stop: () => Promise<{ code: number | null; summary: any; stderr: string }>;
}

export async function serve(args: string[], socket: string, env: Record<string, string> = {}): Promise<Served> {
  const { child, ended } = start(['serve', ...args, '--listen', `unix:${socket}`, '--json'], env);
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of [...waiters]) {
      const line = err.split('\n').find((l) => w.pattern.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const line = err.split('\n').find((l) => pattern.test(l));
      if (line) return resolve(line);
      waiters.push({ pattern, resolve });
      void ended.then((e) => reject(new Error(`serve exited (${e.code}) before ${pattern}: ${e.stderr}`)));
    });
  await waitFor(/serving .* on unix:/);
  return {
    child,
    ended,
    socket,
    uri: `nbd+unix:///?socket=${socket}`,
    stderr: () => err,
    waitFor,
    stop: async () => {
      child.kill('SIGTERM');
      const e = await ended;
      let summary: any = null;
      try {
        summary = JSON.parse(e.stdout);
      } catch {
        summary = null;
      }
      return { code: e.code, summary, stderr: e.stderr };
    },
  };
}

export async function tool(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(cmd, args, { maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
  }
}

/** Runs a tool and fails with its stderr when it does not exit 0. */
export async function ok(cmd: string, args: string[]): Promise<string> {
  const r = await tool(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export function have(...cmds: string[]): boolean {
  return cmds.every((c) => {
    try {
      execFileSync('which', [c], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

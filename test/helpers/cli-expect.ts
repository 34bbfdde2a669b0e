// Assertions on how the CLI fails (CLI.md: one line a problem on stderr, naming what is
// concerned, no stack trace without --debug) and a pseudo-terminal runner for progress tests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { BIN, type RunResult } from './cli.js';

/** Node prints stack frames as lines starting with four spaces and "at ". */
export const STACK_FRAME = /^\s{4}at /m;

/** Fails unless `r` exited `code` with exactly one stderr line that names every needle. */
export function expectOneLineError(r: RunResult, code: number, needles: readonly string[], what = ''): void {
  const ctx = `${what}\nexit ${r.code}\nstderr: ${JSON.stringify(r.stderr)}\nstdout: ${JSON.stringify(r.stdout)}`;
  expect(r.code, ctx).toBe(code);
  expect(r.stderr, ctx).toMatch(/^snaptier: [^\n]+\n$/);
  expect(r.stderr, ctx).not.toMatch(STACK_FRAME);
  expect(r.stderr, ctx).not.toMatch(/TypeError|RangeError|ReferenceError|SyntaxError|\[object /);
  // Nothing on stdout, or under --json the one error document naming the same exit code and line.
  if (r.stdout !== '') {
    expect(JSON.parse(r.stdout), ctx).toEqual({ error: { exitCode: code, message: r.stderr.replace(/^snaptier: /, '').trimEnd(), code: expect.any(String) } });
  }
  for (const n of needles) expect(r.stderr, `${ctx}\nshould name ${n}`).toContain(n);
}

/** `script` (util-linux) gives the child a pseudo-terminal, so stderr.isTTY is true in it. */
export const HAS_SCRIPT = existsSync('/usr/bin/script');

/**
 * Runs snaptier with stdout redirected to `stdoutFile` and stderr on a pseudo-terminal; returns
 * the exit code and everything written to the terminal (i.e. stderr).
 */
export function runOnTerminal(args: string[], stdoutFile: string, env: Record<string, string> = {}): Promise<{ code: number; terminal: string }> {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = [process.execPath, BIN, ...args].map(q).join(' ') + ` > ${q(stdoutFile)}`;
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/script', ['-qec', cmd, '/dev/null'], {
      env: { ...process.env, SNAPTIER_PASSWORD: 'test-password', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let terminal = '';
    child.stdout.on('data', (d) => (terminal += d));
    child.stderr.on('data', (d) => (terminal += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, terminal }));
  });
}

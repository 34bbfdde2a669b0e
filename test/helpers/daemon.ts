// Runs `snaptier daemon` as a real process and talks to it over HTTP: it waits for the address
// the daemon writes to <stateDir>/listen, and offers a bounded poll for API state (no sleeps
// standing in for synchronisation).
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Ended, start } from './cli.js';

export interface DaemonHandle {
  child: ChildProcess;
  ended: Promise<Ended>;
  base: string;
  /** stdout so far: the JSON log lines. */
  logs: () => Array<Record<string, unknown>>;
  api: (method: string, path: string, body?: unknown, token?: string | null) => Promise<{ status: number; json: any; text: string }>;
  stop: () => Promise<Ended>;
}

const POLL_MS = 100;

/** Polls `probe` until it returns a value other than undefined/false, for at most `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export async function startDaemon(config: string, stateDir: string, token: string, env: Record<string, string> = {}): Promise<DaemonHandle> {
  const listenFile = join(stateDir, 'listen');
  const before = await readFile(listenFile, 'utf8').catch(() => '');
  const { child, ended } = start(['daemon', '--config', config], env);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let exited: Ended | null = null;
  void ended.then((e) => {
    exited = e;
  });
  const address = await waitFor('the daemon to listen', async () => {
    if (exited) throw new Error(`the daemon exited ${exited.code}: ${exited.stderr}`);
    const a = (await readFile(listenFile, 'utf8').catch(() => '')).trim();
    return a && a !== before.trim() && out.includes('daemon started') ? a : undefined;
  }, 30_000);
  const base = `http://${address}`;
  const api: DaemonHandle['api'] = async (method, path, body, tok = token) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(tok !== null ? { authorization: `Bearer ${tok}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON (/metrics)
    }
    return { status: res.status, json, text };
  };
  const logs = (): Array<Record<string, unknown>> =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const stop = async (): Promise<Ended> => {
    if (!exited) child.kill('SIGTERM');
    return ended;
  };
  return { child, ended, base, logs, api, stop };
}

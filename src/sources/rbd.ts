// The `rbd` source (Ceph block images): `rbd snap create` takes the snapshot; `rbd diff
// --from-snap <last backed-up snapshot> --format json` is the change list, stated relative to
// that snapshot; `rbd export SPEC -` streams the snapshot into the backup (or, with
// `export: file`, into a scratch file of the state directory, removed after the backup). After a committed backup every older snapshot this source made
// is removed, as only the newest backed-up one serves as a base; after a failed one the new
// snapshot is removed and the base stays what it was: a failed run's snapshot is never a base.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { join } from 'node:path';
import { runArgv } from './run.js';
import type { Extent, TakeOptions, TakenSnapshot, VolumeSource } from './source.js';
import { readState, writeState } from './state.js';

export interface RbdSourceConfig {
  image: string;
  cephConf?: string | undefined;
  id?: string | undefined;
  export?: 'stream' | 'file' | undefined;
  timeoutSeconds: number;
}

interface State {
  lastBackedUp: string | null;
}

/** Snapshots this source made carry this prefix; others on the image are never touched. */
export const RBD_SNAP_PREFIX = 'snaptier-';

export class RbdSource implements VolumeSource {
  readonly type = 'rbd';
  constructor(
    private readonly cfg: RbdSourceConfig,
    private readonly stateFile: string,
    private readonly scratchDir: string,
  ) {}

  private rbd(args: string[], signal: AbortSignal | undefined, what: string, stdoutTo?: NodeJS.WritableStream): Promise<string> {
    const common = [...(this.cfg.cephConf ? ['--conf', this.cfg.cephConf] : []), ...(this.cfg.id ? ['--id', this.cfg.id] : [])];
    return runArgv('rbd', [...common, ...args], {
      timeoutSeconds: this.cfg.timeoutSeconds,
      ...(signal ? { signal } : {}),
      ...(stdoutTo ? { stdoutTo: stdoutTo as never } : {}),
      what,
    });
  }

  /**
   * `rbd export SPEC -` as a stream. Its end is passed on only once rbd exited 0: a failed export
   * ends the stream with an error, so a backup never commits what a dying rbd sent.
   */
  private exportStream(spec: string, signal: AbortSignal): Readable {
    const out = new PassThrough({ highWaterMark: 4 << 20 });
    const common = [...(this.cfg.cephConf ? ['--conf', this.cfg.cephConf] : []), ...(this.cfg.id ? ['--id', this.cfg.id] : [])];
    const child = spawn('rbd', [...common, 'export', '--no-progress', spec, '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 4096) err += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), this.cfg.timeoutSeconds * 1000);
    const abort = () => child.kill('SIGKILL');
    signal.addEventListener('abort', abort, { once: true });
    child.stdout.pipe(out, { end: false });
    child.once('error', (e) => out.destroy(e));
    child.once('close', (code, sig) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
      if (code === 0) out.end();
      else out.destroy(new Error(`rbd export ${spec} failed (${sig ?? `exit ${code}`}): ${err.trim().split('\n').slice(-2).join(' / ')}`));
    });
    return out;
  }

  async snapshots(): Promise<string[]> {
    const list = JSON.parse(await this.rbd(['snap', 'ls', this.cfg.image, '--format', 'json'], undefined, 'rbd snap ls')) as Array<{ name: string }>;
    return list.map((s) => s.name);
  }

  async take(opts: TakeOptions): Promise<TakenSnapshot> {
    const state = await readState<State>(this.stateFile, { lastBackedUp: null });
    const name = `${RBD_SNAP_PREFIX}${opts.name}`;
    const spec = `${this.cfg.image}@${name}`;
    await this.rbd(['snap', 'create', spec], opts.signal, 'rbd snap create');
    const file = join(this.scratchDir, `rbd-export-${name}.img`);
    const removeNew = async (): Promise<void> => {
      await rm(file, { force: true });
      await this.rbd(['snap', 'rm', '--no-progress', spec], undefined, 'rbd snap rm').catch(() => {});
    };
    try {
      let changes: TakenSnapshot['changes'] = null;
      const base = state.lastBackedUp;
      if (base !== null && (await this.snapshots()).includes(base)) {
        const diff = JSON.parse(await this.rbd(['diff', '--from-snap', base, spec, '--format', 'json'], opts.signal, 'rbd diff')) as Array<{ offset: number; length: number }>;
        changes = { base, extents: diff.map((d): Extent => ({ offset: d.offset, length: d.length })) };
      }
      return {
        open: async (signal) => {
          if ((this.cfg.export ?? 'stream') === 'stream') return this.exportStream(spec, signal);
          await rm(file, { force: true });
          await this.rbd(['export', '--no-progress', spec, file], signal, 'rbd export');
          return file;
        },
        sourceId: name,
        changes,
        finish: async (backedUp) => {
          if (!backedUp) return removeNew();
          await rm(file, { force: true });
          await writeState(this.stateFile, { lastBackedUp: name });
          for (const s of await this.snapshots()) {
            if (s.startsWith(RBD_SNAP_PREFIX) && s !== name) await this.rbd(['snap', 'rm', '--no-progress', `${this.cfg.image}@${s}`], undefined, 'rbd snap rm');
          }
        },
      };
    } catch (err) {
      await removeNew();
      throw err;
    }
  }
}

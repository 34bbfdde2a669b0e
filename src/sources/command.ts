// The `command` source (LVM, ZFS, anything with a CLI): `create` makes a snapshot named {name}
// and prints the path to read on its first line and, optionally, on a second line a JSON file
// of changed extents relative to the previous snapshot it created. `delete` runs after the
// backup, successful or not. The list is offered only when that previous snapshot is the one
// last backed up: a change list against a snapshot that never reached the repository is useless.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { CommandFailed, runShell } from './run.js';
import type { Extent, TakeOptions, TakenSnapshot, VolumeSource } from './source.js';
import { readState, writeState } from './state.js';

export interface CommandSourceConfig {
  create: string;
  delete?: string | undefined;
  timeoutSeconds: number;
}

interface State {
  lastCreated: string | null;
  lastBackedUp: string | null;
}

export class CommandSource implements VolumeSource {
  readonly type = 'command';
  constructor(
    private readonly cfg: CommandSourceConfig,
    private readonly stateFile: string,
    private readonly env: Record<string, string>,
  ) {}

  async take(opts: TakeOptions): Promise<TakenSnapshot> {
    const state = await readState<State>(this.stateFile, { lastCreated: null, lastBackedUp: null });
    const withName = (cmd: string): string => cmd.replaceAll('{name}', opts.name);
    const out = await runShell(withName(this.cfg.create), {
      timeoutSeconds: this.cfg.timeoutSeconds,
      signal: opts.signal,
      env: { ...this.env, SNAPTIER_SNAPSHOT: opts.name, ...(state.lastBackedUp ? { SNAPTIER_PREVIOUS_SNAPSHOT: state.lastBackedUp } : {}) },
      what: 'source create command',
    });
    const previous = state.lastCreated;
    await writeState(this.stateFile, { ...state, lastCreated: opts.name });
    const [pathLine, extentsLine] = out.split('\n').map((l) => l.trim());
    const remove = async (): Promise<void> => {
      if (this.cfg.delete) await runShell(withName(this.cfg.delete), { timeoutSeconds: this.cfg.timeoutSeconds, env: { ...this.env, SNAPTIER_SNAPSHOT: opts.name }, what: 'source delete command' });
    };
    if (!pathLine) {
      await remove();
      throw new CommandFailed('source create command printed no path on its first line', false);
    }
    let changes: TakenSnapshot['changes'] = null;
    if (extentsLine && previous !== null && previous === state.lastBackedUp) {
      const file = isAbsolute(extentsLine) ? extentsLine : resolve(extentsLine);
      changes = { base: previous, extents: JSON.parse(await readFile(file, 'utf8')) as Extent[] };
    }
    return {
      open: async () => (isAbsolute(pathLine) ? pathLine : join(process.cwd(), pathLine)),
      sourceId: opts.name,
      changes,
      finish: async (backedUp) => {
        if (backedUp) await writeState(this.stateFile, { lastCreated: opts.name, lastBackedUp: opts.name });
        await remove();
      },
    };
  }
}

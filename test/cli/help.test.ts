// Help and version through the real binary: --version from package.json, help [COMMAND],
// COMMAND --help with every flag of the command table, and "did you mean" on typos, all with
// the exit codes of the contract (0 for help asked for, 2 for a mistake).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE, COMMON_FLAGS } from '../../src/cli/commands-table.js';
import { run } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

describe('help and version', () => {
  it('--version prints the version of package.json', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`snaptier ${pkg.version}\n`);
  });

  it('help lists every command; no command at all is exit 2 with the same list on stderr', async () => {
    const r = await run(['help']);
    expect(r.code).toBe(0);
    for (const c of COMMAND_TABLE) expect(r.stdout).toMatch(new RegExp(`^  ${c.name} `, 'm'));
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('backup');
  });

  it('COMMAND --help and help COMMAND show every visible flag with one line, and an example', async () => {
    for (const c of COMMAND_TABLE) {
      const viaFlag = await run([c.name, '--help']);
      const viaHelp = await run(['help', c.name]);
      expect(viaFlag.code, `${c.name} --help: ${viaFlag.stderr}`).toBe(0);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      for (const f of [...c.flags, ...COMMON_FLAGS].filter((x) => !x.hidden)) {
        expect(viaFlag.stdout, `${c.name} --${f.name}`).toMatch(new RegExp(`^  --${f.name}\\b.*\\S{2,}.*$`, 'm'));
      }
      expect(viaFlag.stdout).toMatch(/^examples?:\n {2}.*snaptier /m);
    }
  });

  it('backup --help wins over missing flags, as a newcomer types it', async () => {
    const r = await run(['backup', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--volume NAME');
    expect(r.stderr).toBe('');
  });

  it('a mistyped flag or command names the nearest one, exit 2', async () => {
    const flag = await run(['backup', '--repo', '/nonexistent', '--volme', 'x']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^snaptier: backup: unknown flag --volme; did you mean --volume\?\n$/);
    const cmd = await run(['snapshot', '--repo', '/nonexistent']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('did you mean snapshots?');
    const far = await run(['restore', '--zzzzzzzz']);
    expect(far.code).toBe(2);
    expect(far.stderr).not.toContain('did you mean');
    expect(far.stderr).toContain('restore --help');
    const helpOfUnknown = await run(['help', 'restroe']);
    expect(helpOfUnknown.code).toBe(2);
    expect(helpOfUnknown.stderr).toContain('did you mean restore?');
  });
});

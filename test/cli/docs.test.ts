// docs/cli.md stays true (issue #13 item 2): each command's flag table there lists exactly the
// visible flags of the command table the parser uses, and the common flags likewise; every
// command of the table has a section.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE, COMMON_FLAGS } from '../../src/cli/commands-table.js';

const DOC = readFileSync(resolve(import.meta.dirname, '../../docs/cli.md'), 'utf8');

/** The flags named in the first column of the tables of `section` ("| `--name ...` | ... |"). */
function documentedFlags(section: string): string[] {
  return [...section.matchAll(/^\| `--([a-z0-9-]+)[^`]*` \|/gm)].map((m) => m[1]!).sort();
}

/** The text from the heading `title` to the next heading of the same or a higher level. */
function section(title: string): string {
  const at = DOC.indexOf(`${title}\n`);
  if (at < 0) throw new Error(`docs/cli.md has no heading "${title}"`);
  const level = /^#+/.exec(title)![0].length;
  const rest = DOC.slice(at + title.length);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

const visible = (flags: readonly { name: string; hidden?: boolean }[]) => flags.filter((f) => !f.hidden).map((f) => f.name).sort();

describe('docs/cli.md against the parser', () => {
  it('documents the common flags', () => {
    expect(documentedFlags(section('## Flags every command takes'))).toEqual(visible(COMMON_FLAGS));
  });

  for (const c of COMMAND_TABLE) {
    it(`documents every flag of ${c.name}, and no other`, () => {
      expect(documentedFlags(section(`### snaptier ${c.name}`))).toEqual(visible(c.flags));
    });
  }

  it('the table holds every flag a command module parses (src/cli/commands/*.ts)', () => {
    const dir = resolve(import.meta.dirname, '../../src/cli/commands');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(resolve(dir, file), 'utf8');
      for (const call of text.matchAll(/parse\('([a-z]+)', argv, \{([\s\S]*?)\}\);/g)) {
        const spec = COMMAND_TABLE.find((c) => c.name === call[1]);
        expect(spec, `${file}: command ${call[1]} is in the table`).toBeDefined();
        const known = new Set([...spec!.flags, ...COMMON_FLAGS].map((f) => f.name));
        for (const m of call[2]!.matchAll(/(?:^|[{,])\s*'?([a-z0-9-]+)'?: \{ type:/gm)) expect(known.has(m[1]!), `${file}: --${m[1]} is in the table`).toBe(true);
      }
    }
  });

  it('documents every exit code of the contract', () => {
    const codes = [...section('## Exit codes').matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([0, 1, 2, 3, 4]);
  });
});

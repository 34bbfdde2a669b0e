// The shape of the command table (commands-table.ts): one declarative entry per command, from
// which the parser's options, `--help`, `help COMMAND`, the "did you mean" hints and the test
// that holds docs/cli.md to the parser are all derived.
import type { ParseArgsConfig } from 'node:util';

export { editDistance, nearest } from '../nearest.js';

export interface FlagSpec {
  name: string;
  type: 'string' | 'boolean';
  /** The flag may be given more than once (values collected in order). */
  multiple?: boolean;
  /** What the value looks like in help: `URL`, `NAME`, `N` (strings only). */
  arg?: string;
  help: string;
  /** Kept out of help and docs: test seams and deprecated spellings. */
  hidden?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** The synopsis after `snaptier NAME`. */
  usage: string;
  flags: readonly FlagSpec[];
  examples: readonly string[];
  /** Positional words the command takes (subcommands, key ids); none by default. */
  positionals?: boolean;
  /** Subcommands, for `key`: listed in help. */
  subcommands?: readonly { name: string; usage: string; summary: string }[];
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs options for `flags`. */
export function parseOptions(flags: readonly FlagSpec[]): Options {
  const o: Options = {};
  for (const f of flags) o[f.name] = f.multiple ? { type: f.type, multiple: true } : { type: f.type };
  return o;
}

/** `--help` text of one command: synopsis, every visible flag with one line, examples. */
export function renderHelp(c: CommandSpec, common: readonly FlagSpec[]): string {
  const lines = [`snaptier ${c.name}: ${c.summary}`, '', `usage: snaptier ${c.name} ${c.usage}`];
  if (c.subcommands?.length) {
    lines.push('', 'subcommands:');
    for (const s of c.subcommands) lines.push(`  ${`${c.name} ${s.name} ${s.usage}`.padEnd(44)} ${s.summary}`);
  }
  const section = (title: string, flags: readonly FlagSpec[]) => {
    const visible = flags.filter((f) => !f.hidden);
    if (!visible.length) return;
    lines.push('', title);
    for (const f of visible) {
      const left = `--${f.name}${f.type === 'string' ? ` ${f.arg ?? 'VALUE'}` : ''}${f.multiple ? ' ...' : ''}`;
      lines.push(`  ${left.padEnd(28)} ${f.help}`);
    }
  };
  section('flags:', c.flags);
  section('common flags:', common);
  if (c.examples.length) lines.push('', c.examples.length > 1 ? 'examples:' : 'example:', ...c.examples.map((e) => `  ${e}`));
  lines.push('', 'reference: docs/cli.md in the snaptier repository');
  return lines.join('\n');
}

/** `snaptier help` without a command: the commands, one line each. */
export function renderOverview(commands: readonly CommandSpec[], version: string): string {
  return [
    `snaptier ${version}: block-volume snapshots to object storage, incremental and encrypted`,
    '',
    'usage: snaptier COMMAND [flags]      snaptier help COMMAND      snaptier COMMAND --help',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'The repository is --repo URL or SNAPTIER_REPOSITORY: a path, file://, s3://BUCKET/PREFIX or azure://CONTAINER/PREFIX.',
    'Exit codes: 0 ok, 1 environment, 2 usage or input, 3 integrity, 4 conflict.',
    'reference: docs/cli.md in the snaptier repository',
  ].join('\n');
}

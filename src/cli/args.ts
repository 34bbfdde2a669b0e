// Argument parsing on node:util parseArgs (strict: unknown flags are errors, with the nearest
// known flag suggested), driven by the command table; `--help` anywhere prints the command's
// help. Plus the helpers that read the values.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { COMMON_FLAGS, commandSpec } from './commands-table.js';
import { nearest, parseOptions, renderHelp } from './spec.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON: Options = parseOptions(COMMON_FLAGS);

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Thrown once `--help` has been printed: main() ends the command with exit 0. */
export class HelpShown extends Error {}

/**
 * The values of `argv` for `command`: the table's flags, plus `options` (each command still
 * names its own, so that one added to a command before the table is not refused).
 */
export function parse(command: string, argv: string[], options: Options = {}): Values {
  return parseWithPositionals(command, argv, options).values;
}

export function parseWithPositionals(command: string, argv: string[], options: Options = {}): { values: Values; positionals: string[] } {
  const spec = commandSpec(command);
  if (argv.includes('--help') || argv.includes('-h')) {
    if (spec) process.stdout.write(`${renderHelp(spec, COMMON_FLAGS)}\n`);
    throw new HelpShown();
  }
  const all: Options = { ...COMMON, ...(spec ? parseOptions(spec.flags) : {}), ...options };
  try {
    const { values, positionals } = parseArgs({ args: argv, options: all, strict: true, allowPositionals: spec?.positionals ?? false });
    return { values: values as Values, positionals };
  } catch (err) {
    const first = (err as Error).message.split('\n')[0] ?? '';
    const unknown = /^Unknown option '(-{1,2})([^'=]+)'/.exec(first);
    if (unknown) {
      const near = nearest(unknown[2]!, Object.keys(all));
      const hint = near ? `; did you mean --${near}?` : `; snaptier ${command} --help lists the flags`;
      throw new UsageError(`${command}: unknown flag ${unknown[1]}${unknown[2]}${hint}`);
    }
    throw new UsageError(`${command}: ${first}`);
  }
}

export function str(v: Values, name: string): string | undefined {
  const x = v[name];
  return typeof x === 'string' ? x : undefined;
}

export function need(v: Values, name: string, command: string): string {
  const x = str(v, name);
  if (x === undefined || x === '') throw new UsageError(`${command}: --${name} is required`);
  return x;
}

export function flag(v: Values, name: string): boolean {
  return v[name] === true;
}

export function int(v: Values, name: string): number | undefined {
  const x = str(v, name);
  if (x === undefined) return undefined;
  if (!/^\d+$/.test(x) || !Number.isSafeInteger(Number(x))) throw new UsageError(`--${name} must be a non-negative integer, not ${x}`);
  return Number(x);
}

export function repoUrl(v: Values, command: string): string {
  const url = str(v, 'repo') ?? process.env.SNAPTIER_REPOSITORY;
  if (!url) throw new UsageError(`${command}: --repo is required (or set SNAPTIER_REPOSITORY)`);
  return url;
}

export { password } from './password.js';

// Argument parsing on node:util parseArgs (strict: unknown flags are errors), plus the
// options every command shares and the helpers that read them.
import { readFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON: Options = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  debug: { type: 'boolean' },
  'password-file': { type: 'string' },
  'limit-upload': { type: 'string' },
  'limit-download': { type: 'string' },
};

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export function parse(command: string, argv: string[], options: Options): Values {
  try {
    const { values } = parseArgs({ args: argv, options: { ...COMMON, ...options }, strict: true, allowPositionals: false });
    return values as Values;
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.split('\n')[0]}`);
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

/** The password from --password-file or SNAPTIER_PASSWORD; null when neither is given. */
export async function password(v: Values): Promise<string | null> {
  const file = str(v, 'password-file');
  if (file) {
    try {
      return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(`password file ${file} cannot be read: ${(err as Error).message}`);
    }
  }
  return process.env.SNAPTIER_PASSWORD ?? null;
}

// Where passwords come from: --password-command CMD, --password-file FILE,
// SNAPTIER_PASSWORD_FILE, SNAPTIER_PASSWORD, in that order. A command's stdout and a file's
// text lose one trailing newline; everything else is the password.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';

type Values = Readonly<Record<string, unknown>>;

const COMMAND_TIMEOUT_MS = 60_000;

/** The password from the sources above; null when none is given. */
export async function password(v: Values): Promise<string | null> {
  const command = typeof v['password-command'] === 'string' ? v['password-command'] : undefined;
  const file = typeof v['password-file'] === 'string' ? v['password-file'] : undefined;
  if (command !== undefined && file !== undefined) throw new UsageError('--password-command and --password-file exclude each other');
  if (command !== undefined) return passwordFromCommand(command, '--password-command');
  if (file !== undefined) return passwordFromFile(file);
  const envFile = process.env.SNAPTIER_PASSWORD_FILE;
  if (envFile) return passwordFromFile(envFile);
  return process.env.SNAPTIER_PASSWORD ?? null;
}

export async function passwordFromFile(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    throw new UsageError(`password file ${file} cannot be read: ${(err as Error).message}`);
  }
}

/** Runs `command` with sh -c; a failure or an empty answer is bad input (exit 2). */
export function passwordFromCommand(command: string, flagName: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 1 << 16 }, (err, stdout, stderr) => {
      if (err) {
        const why = stderr.trim().split('\n')[0] || err.message.split('\n')[0];
        return reject(new UsageError(`${flagName} ${command} failed: ${why}`));
      }
      const pw = stdout.replace(/\r?\n$/, '');
      if (pw === '') return reject(new UsageError(`${flagName} ${command} printed no password`));
      resolve(pw);
    });
  });
}

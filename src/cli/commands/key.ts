// `key list|add|remove|passwd`: the passwords of an encrypted repository (src/repo/keys.ts).
import { UsageError } from '../../errors.js';
import { addKey, changePassword, listKeys, removeKey } from '../../repo/keys.js';
import { parseWithPositionals, str, type Values } from '../args.js';
import { openRepository, storeFigures } from '../context.js';
import { holdLease } from '../leases.js';
import { Output, plural } from '../output.js';
import { passwordFromCommand, passwordFromFile } from '../password.js';

const SUBCOMMANDS = ['list', 'add', 'remove', 'passwd'] as const;

export async function keyCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseWithPositionals('key', argv);
  const [sub, ...args] = positionals;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`key: give one of ${SUBCOMMANDS.join(', ')}${sub ? `, not ${sub}` : ''} (snaptier key --help)`);
  }
  if (sub !== 'remove' && args.length) throw new UsageError(`key ${sub}: unexpected argument ${args[0]}`);
  if (sub === 'remove' && args.length !== 1) throw new UsageError('key remove: give the id of the key to remove (snaptier key list shows them)');
  const out = new Output(v);
  const newPassword = sub === 'add' || sub === 'passwd' ? await readNewPassword(v, sub) : null;
  const { repo, counters } = await openRepository(v, `key ${sub}`);
  if (sub === 'list') {
    const keys = await listKeys(repo);
    out.result(keys, () =>
      ['ID        CREATED                   HOST', ...keys.map((k) => `${k.current ? '*' : ' '}${k.id.slice(0, 8)} ${k.created.padEnd(25)} ${k.host}`)].join('\n'),
    );
    return 0;
  }
  await holdLease(repo, { operation: `key ${sub}`, kind: 'shared' });
  if (sub === 'add') {
    const id = await addKey(repo, newPassword!);
    out.log(`added key ${id}`, 'key', { added: id });
    const total = (await listKeys(repo)).length;
    out.result({ added: id, keys: total, ...storeFigures(counters) }, () => `added key ${id.slice(0, 8)}; the repository has ${plural(total, 'key')}`);
  } else if (sub === 'passwd') {
    const r = await changePassword(repo, newPassword!);
    out.result({ ...r, ...storeFigures(counters) }, () => `password changed: key ${r.added.slice(0, 8)} replaces ${r.removed.slice(0, 8)}`);
  } else {
    const k = await removeKey(repo, args[0]!);
    out.result({ removed: k.id, ...storeFigures(counters) }, () => `removed key ${k.id.slice(0, 8)}`);
  }
  return 0;
}

async function readNewPassword(v: Values, sub: string): Promise<string> {
  const file = str(v, 'new-password-file');
  const command = str(v, 'new-password-command');
  if (file !== undefined && command !== undefined) throw new UsageError(`key ${sub}: --new-password-file and --new-password-command exclude each other`);
  if (command !== undefined) return passwordFromCommand(command, '--new-password-command');
  if (file === undefined) throw new UsageError(`key ${sub}: --new-password-file is required (or --new-password-command)`);
  const pw = await passwordFromFile(file);
  if (pw === '') throw new UsageError(`key ${sub}: the new password in ${file} is empty`);
  return pw;
}

// `snaptier daemon --config FILE [--check]`: parsing only; the service lives in src/service/.
import { UsageError } from '../../errors.js';
import { checkConfig, runDaemon } from '../../service/daemon.js';
import { flag, parse, str } from '../args.js';

export async function daemonCommand(argv: string[]): Promise<number> {
  const v = parse('daemon', argv, { config: { type: 'string' }, check: { type: 'boolean' } });
  const file = str(v, 'config');
  if (!file) throw new UsageError('daemon: --config FILE is required');
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
  if (flag(v, 'check')) return checkConfig(file, (line) => void process.stdout.write(`${line}\n`), err);
  return runDaemon(file, err);
}

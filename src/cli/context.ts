// What every command receives: its parsed flags, its output, and the repository opener.
import { Repository } from '../repo/repository.js';
import { password, repoUrl, type Values } from './args.js';
import { openStore } from './open-store.js';
import type { Output } from './output.js';

export interface CommandContext {
  values: Values;
  out: Output;
}

export async function openRepository(v: Values, command: string): Promise<Repository> {
  return Repository.open(openStore(repoUrl(v, command)), () => password(v));
}

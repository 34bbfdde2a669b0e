// One word per idea (issue #14 item 3; the glossary is the "Words" table in the README's Design
// section): "lock" and "retention" once meant six things. Now a running operation's claim on a
// repository is a lease, the store refusing deletes is immutability, forget's rules are the keep
// policy. This test reads every identifier of src/**/*.ts with the TypeScript parser, and every
// file name, and fails when "lock" or "retention" comes back as a word of a name, except where
// the name is not ours to choose (an SDK's API, a proto message on the store, a CLI command or a
// JSON field of the contract): those are listed below, each with its reason.
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The retired words, as words of a name (camelCase, snake_case and kebab-case split). */
const BANNED = /^(un)?lock(s|ed|ing)?$|^retention$/;

interface Allowed {
  /** The whole identifier (not a word of it). */
  name: RegExp;
  /** Files where it may appear. */
  file: RegExp;
  why: string;
}

const ALLOWED: readonly Allowed[] = [
  {
    name: /^(ObjectLock\w*|GetObjectLockConfigurationCommand|PutObjectRetentionCommand|Retention|objectLock|objectLockOf|checkObjectLock)$/,
    file: /^src\/store\/s3\//,
    why: "S3's own API and term: Object Lock, PutObjectRetention (the adapter translates them to immutability)",
  },
  { name: /^isLockedMode$/, file: /^src\/store\/azure\//, why: 'Azure names its compliance-mode policy "Locked"' },
  {
    name: /^(RepoLock|LockKind|LOCK_SHARED|LOCK_EXCLUSIVE|RetentionLock|lock)$/,
    file: /^src\/format\/(lease-codec|codec)\.ts$/,
    why: 'proto messages, enum values and the config field `lock` are on the store: renaming them is a format change',
  },
  {
    name: /^(lock|unlock|lockCommand|unlockCommand)$/,
    file: /^src\/cli\/(main|commands\/lock|commands\/unlock)\.ts$/,
    why: 'the CLI commands `lock` and `unlock` keep their names (contract): the dispatch table and their modules',
  },
  { name: /^lock$/, file: /^src\/cli\/commands\/init\.ts$/, why: 'the JSON field `lock` of `init --json` (contract)' },
  {
    name: /^(locked|bytesLocked)$/,
    file: /^src\/(repo\/(forget|prune|prune-plan)|cli\/commands\/(forget|prune))\.ts$/,
    why: 'the JSON fields `locked` and `bytesLocked` of forget and prune (contract)',
  },
  { name: /^locksDeleted$/, file: /^src\/(repo|cli\/commands)\/prune\.ts$/, why: 'the JSON field `locksDeleted` of prune (contract)' },
  { name: /^alreadyLocked$/, file: /^src\/(repo\/immutability-extend|cli\/commands\/lock)\.ts$/, why: 'the JSON field `alreadyLocked` of lock --extend (contract)' },
];

/** File names that keep an old word, with the reason. */
const ALLOWED_FILES: ReadonlyMap<string, string> = new Map([
  ['src/cli/commands/lock.ts', 'one file per CLI command, named after the command, which keeps its name'],
  ['src/cli/commands/unlock.ts', 'one file per CLI command, named after the command, which keeps its name'],
]);

/** "isLockedMode" → is, locked, mode; "LOCK_PREFIX" → lock, prefix; "ObjectLockRetainUntil" → object, lock, retain, until. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

function hasBannedWord(name: string): boolean {
  return wordsOf(name).some((w) => BANNED.test(w));
}

interface Found {
  file: string;
  line: number;
  name: string;
}

function sourceFiles(): string[] {
  return (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
    .map((f) => posix.join('src', f.split('\\').join('/')))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('src/format/gen/'))
    .sort();
}

/** Every identifier (declarations, uses, property names) of `file` that carries a retired word. */
function bannedIdentifiers(file: string, text: string): Found[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Found[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && hasBannedWord(node.text)) {
      const name = node.text;
      if (!ALLOWED.some((a) => a.name.test(name) && a.file.test(file))) {
        out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, name });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('one vocabulary: lease, immutability, keep policy', () => {
  it('splits names into words, so that block and clock are not lock', () => {
    expect(wordsOf('isLockedMode')).toEqual(['is', 'locked', 'mode']);
    expect(wordsOf('LOCK_PREFIX')).toEqual(['lock', 'prefix']);
    expect(wordsOf('ObjectLockRetainUntilDate')).toEqual(['object', 'lock', 'retain', 'until', 'date']);
    expect(wordsOf('lease-objects.ts')).toEqual(['lease', 'objects', 'ts']);
    expect(['BLOCK_SIZE', 'systemClock', 'blockSize', 'ManualClock', 'Lease', 'immutableUntil'].filter(hasBannedWord)).toEqual([]);
    expect(['RepoLock', 'acquireLock', 'lockedAmong', 'RetentionPolicy', 'extendRetention', 'unlock', 'LOCK'].filter(hasBannedWord)).toEqual([
      'RepoLock',
      'acquireLock',
      'lockedAmong',
      'RetentionPolicy',
      'extendRetention',
      'unlock',
      'LOCK',
    ]);
  });

  it('finds an old name in code, and lets an SDK name pass only in its adapter', () => {
    const code = 'export class RepoLockHandle {}\nconst x = new PutObjectRetentionCommand({});\n';
    expect(bannedIdentifiers('src/repo/lease.ts', code).map((f) => f.name)).toEqual(['RepoLockHandle', 'PutObjectRetentionCommand']);
    expect(bannedIdentifiers('src/store/s3/s3-store.ts', code).map((f) => f.name)).toEqual(['RepoLockHandle']);
  });

  it('no identifier under src/ uses "lock" or "retention" outside the allowed places', () => {
    const found = sourceFiles().flatMap((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      // Only a file that has the letters can have the names: most files are not parsed at all.
      return /lock|retention/i.test(text) ? bannedIdentifiers(f, text) : [];
    });
    expect(found.map((f) => `${f.file}:${f.line}: ${f.name}`)).toEqual([]);
  });

  it('no file name under src/ uses "lock" or "retention", but the commands that keep their names', () => {
    const found = sourceFiles().filter((f) => hasBannedWord(posix.basename(f, '.ts')) && !ALLOWED_FILES.has(f));
    expect(found).toEqual([]);
  });
});

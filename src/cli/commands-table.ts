// Every command and flag of the command line, once. The parser (args.ts), `--help`,
// `help COMMAND`, the "did you mean" hints and the docs test (test/cli/docs.test.ts) read this
// table; a flag added here is parsed, shown and must be documented in docs/cli.md.
import type { CommandSpec, FlagSpec } from './spec.js';

const s = (name: string, arg: string, help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({ name, type: 'string', arg, help, ...extra });
const b = (name: string, help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({ name, type: 'boolean', help, ...extra });

/** Flags every command accepts. */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  b('json', 'print one JSON document on stdout (also on failure: {"error": {...}})'),
  b('quiet', 'print no progress and no human summary'),
  b('verbose', 'log each phase and every store retry on stderr, as JSON lines'),
  b('debug', 'add the stack trace to an error'),
  s('password-file', 'FILE', 'read the password from FILE (else SNAPTIER_PASSWORD_FILE, SNAPTIER_PASSWORD)'),
  s('password-command', 'CMD', 'run CMD with sh -c and take the password from its stdout'),
  s('limit-upload', 'KIB', 'upload at most KIB KiB/s'),
  s('limit-download', 'KIB', 'download at most KIB KiB/s'),
  b('help', 'show this help'),
];

const repo = s('repo', 'URL', 'the repository (or SNAPTIER_REPOSITORY)');
const volume = s('volume', 'NAME', 'the volume');
const dryRun = b('dry-run', 'show what would change, change nothing');
const grace = s('grace', 'DURATION', 'keep unreferenced packs younger than this (default 24h)');
const repackBelow = s('repack-below', 'PCT', 'rewrite packs with less than PCT% live bytes (0: never)');
/** Archive tiers (docs/archive.md): restoring from cold data packs. */
const rehydrate: readonly FlagSpec[] = [
  b('rehydrate', 'request the restore of cold (archived) packs and wait for them'),
  s('priority', 'PRIORITY', 'bulk, standard (default) or expedited thaw'),
  b('plan-only', 'print the rehydration plan (packs, cost, time) and exit'),
  s('rehydrate-days', 'N', 'days a thawed S3 copy stays readable (default 2)'),
  s('rehydrate-poll', 'SECONDS', 'longest wait between thaw status polls'),
  s('prices', 'FILE', 'price table for the cost estimate'),
];

export const COMMAND_TABLE: readonly CommandSpec[] = [
  {
    name: 'init',
    summary: 'create a repository',
    usage: '--repo URL [--no-encryption] [--compression zstd|lz4|none] [flags]',
    flags: [
      repo,
      b('no-encryption', 'store data unencrypted (no password)'),
      s('compression', 'zstd|lz4|none', 'compression of data and metadata (default zstd)'),
      s('pack-size', 'MIB', 'target pack size in MiB, 1 to 1024'),
      s('data-tier', 'TIER', "the store's storage class for data packs (e.g. STANDARD_IA, Cool)"),
      s('lock-days', 'N', 'make every object immutable for N days after it is written'),
      s('lock-until', 'DATE', 'make every object immutable until at least DATE'),
      s('lock-mode', 'MODE', 'immutability mode: compliance (default) or governance'),
      s('lock-seconds', 'N', 'test seam: immutable for N seconds', { hidden: true }),
    ],
    examples: ['SNAPTIER_PASSWORD_FILE=~/.snaptier-pw snaptier init --repo s3://backups/db'],
  },
  {
    name: 'backup',
    summary: 'back up a volume as a new snapshot',
    usage: '--repo URL --volume NAME --source PATH|- [--previous-source PATH | --changed-extents FILE] [flags]',
    flags: [
      repo,
      volume,
      s('source', 'PATH|-', 'the volume image or block device; - reads stdin to end of file'),
      s('previous-source', 'PATH', "the base snapshot's image, still on disk: compare the two"),
      s('changed-extents', 'FILE', 'JSON [{"offset","length"}]: the only ranges that may have changed'),
      s('base', 'ID|SOURCE-ID', 'the snapshot the hint is relative to (default: the latest)'),
      s('source-id', 'TEXT', "the storage layer's name for this snapshot, recorded"),
      s('verify-hints', 'MODE', 'sample (default), full or off: check what a hint calls unchanged'),
      b('allow-empty', 'accept an empty source'),
      s('rewrite-at', 'N', 'store a changed segment whole once its map references N chunks (default 16; 0 never)'),
      s('label', 'KEY=VALUE', 'a label on the snapshot', { multiple: true }),
      s('time', 'ISO8601', "the snapshot's recorded time (default: now)"),
    ],
    examples: [
      'snaptier backup --repo /srv/backups --volume db --source /dev/vg0/db-snap',
      'rbd export pool/db@today - | snaptier backup --repo s3://backups/db --volume db --source - --source-id today',
    ],
  },
  {
    name: 'snapshots',
    summary: 'list snapshots, oldest first',
    usage: '--repo URL [--volume NAME] [flags]',
    flags: [repo, s('volume', 'NAME', 'only this volume (exit 2 when it has none)')],
    examples: ['snaptier snapshots --repo /srv/backups --volume db --json'],
  },
  {
    name: 'restore',
    summary: 'write a snapshot to a file, a block device or stdout',
    usage: '--repo URL --volume NAME --snapshot ID|latest --target PATH|- [--offset N --length N] [flags]',
    flags: [
      repo,
      volume,
      s('snapshot', 'ID|latest', 'a snapshot id, a unique prefix, or latest'),
      s('target', 'PATH|-', 'a file, an existing block device, or - for stdout'),
      s('offset', 'N', 'first byte of the range to restore (with --length)'),
      s('length', 'N', 'bytes of the range to restore (with --offset)'),
      b('overwrite', 'replace an existing non-empty regular file'),
      ...rehydrate,
    ],
    examples: ['snaptier restore --repo /srv/backups --volume db --snapshot latest --target /tmp/db.img'],
  },
  {
    name: 'diff',
    summary: 'byte ranges that differ between two snapshots',
    usage: '--repo URL --volume NAME --from ID --to ID [flags]',
    flags: [repo, volume, s('from', 'ID', 'the older snapshot'), s('to', 'ID', 'the newer snapshot')],
    examples: ['snaptier diff --repo /srv/backups --volume db --from 3f2a --to latest'],
  },
  {
    name: 'check',
    summary: 'verify the repository (exit 3 on damage)',
    usage: '--repo URL [--read-data] [flags]',
    flags: [repo, b('read-data', 'read back every pack and prove every snapshot')],
    examples: ['snaptier check --repo /srv/backups --read-data'],
  },
  {
    name: 'forget',
    summary: 'remove snapshots the keep policy does not keep',
    usage: '--repo URL [--volume NAME] [--keep-RULE N]... [--prune] [--dry-run] [flags]',
    flags: [
      repo,
      s('volume', 'NAME', 'only this volume'),
      s('keep-last', 'N', 'keep the N newest snapshots'),
      s('keep-hourly', 'N', 'keep the newest of each of the last N hours with snapshots'),
      s('keep-daily', 'N', 'keep the newest of each of the last N days with snapshots'),
      s('keep-weekly', 'N', 'keep the newest of each of the last N ISO weeks with snapshots'),
      s('keep-monthly', 'N', 'keep the newest of each of the last N months with snapshots'),
      s('keep-yearly', 'N', 'keep the newest of each of the last N years with snapshots'),
      b('prune', 'then delete the data no snapshot needs'),
      grace,
      repackBelow,
      dryRun,
    ],
    examples: ['snaptier forget --repo /srv/backups --keep-daily 7 --keep-weekly 4 --prune'],
  },
  {
    name: 'prune',
    summary: 'delete data no snapshot needs, repack mostly-dead packs',
    usage: '--repo URL [--grace DURATION] [--dry-run] [flags]',
    flags: [
      repo,
      grace,
      dryRun,
      b('force-locked', 'try to delete objects under governance-mode immutability'),
      repackBelow,
      b('repack-cold', 'also repack mostly-dead packs in an archive tier (thawed first)'),
    ],
    examples: ['snaptier prune --repo /srv/backups --dry-run'],
  },
  {
    name: 'hold',
    summary: 'keep a snapshot until a date, whatever forget says',
    usage: '--repo URL --volume NAME --snapshot ID --until DATE [--reason TEXT] | --release | --list [flags]',
    flags: [
      repo,
      volume,
      s('snapshot', 'ID', 'the snapshot to hold or release'),
      s('until', 'DATE', 'the end of the hold (ISO 8601)'),
      s('reason', 'TEXT', 'why, recorded with the hold'),
      b('release', 'remove the holds of the snapshot'),
      b('list', 'list the holds'),
    ],
    examples: ['snaptier hold --repo /srv/backups --volume db --snapshot 3f2a --until 2030-01-01 --reason audit'],
  },
  {
    name: 'lock',
    summary: 'renew the immutability of everything the snapshots need',
    usage: '--repo URL --extend [--dry-run] [flags]',
    flags: [repo, b('extend', 'extend the immutability'), dryRun],
    examples: ['snaptier lock --repo s3://vault/db --extend'],
  },
  {
    name: 'copy',
    summary: 'copy snapshots to another repository, sending only what it lacks',
    usage: '--from URL --to URL [--volume NAME] [flags]',
    flags: [
      s('from', 'URL', 'the source repository'),
      s('to', 'URL', 'the destination repository'),
      s('volume', 'NAME', 'only this volume'),
      s('to-password-file', 'FILE', "the destination's password (else SNAPTIER_TO_PASSWORD, else the source's)"),
    ],
    examples: ['snaptier copy --from /srv/backups --to s3://offsite/db --to-password-file ~/.offsite-pw'],
  },
  {
    name: 'tier',
    summary: 'move old data packs to a colder storage class',
    usage: '--repo URL --older-than DAYS --class CLASS [--dry-run] [flags]',
    flags: [
      repo,
      s('older-than', 'DAYS', 'data packs written more than DAYS days ago'),
      s('class', 'CLASS', 'the storage class (S3: GLACIER, DEEP_ARCHIVE, ...; Azure: Cool, Cold, Archive)'),
      dryRun,
    ],
    examples: ['snaptier tier --repo s3://vault/db --older-than 90 --class GLACIER --dry-run'],
  },
  {
    name: 'unlock',
    summary: 'remove stale leases',
    usage: '--repo URL [--all] [flags]',
    flags: [repo, b('all', 'remove live leases too')],
    examples: ['snaptier unlock --repo /srv/backups'],
  },
  {
    name: 'key',
    summary: 'list, add, remove and change the passwords of a repository',
    usage: 'list|add|remove|passwd --repo URL [KEY-ID] [flags]',
    positionals: true,
    subcommands: [
      { name: 'list', usage: '--repo URL', summary: 'the keys; current marks the one that opened' },
      { name: 'add', usage: '--repo URL --new-password-file FILE', summary: 'another password for the same data' },
      { name: 'remove', usage: '--repo URL KEY-ID', summary: 'remove a key (never the last)' },
      { name: 'passwd', usage: '--repo URL --new-password-file FILE', summary: 'replace the current key' },
    ],
    flags: [
      repo,
      s('new-password-file', 'FILE', 'the new password (add, passwd)'),
      s('new-password-command', 'CMD', 'run CMD with sh -c for the new password (add, passwd)'),
    ],
    examples: ['snaptier key add --repo /srv/backups --new-password-file ~/.second-pw', 'snaptier key remove --repo /srv/backups 3f2a9c1e'],
  },
  {
    name: 'serve',
    summary: 'serve a snapshot as an NBD block device',
    usage: '--repo URL --volume NAME --snapshot ID|latest --listen HOST:PORT|unix:PATH [flags]',
    flags: [
      repo,
      volume,
      s('snapshot', 'ID|latest', 'the snapshot to serve'),
      s('listen', 'ADDRESS', 'HOST:PORT or unix:PATH'),
      b('writable', 'accept writes, into --overlay'),
      s('overlay', 'FILE', 'copy-on-write overlay for writes'),
      s('hydrate', 'TARGET', 'copy the volume to TARGET in the background'),
      s('cache-mib', 'N', 'read cache size in MiB'),
      s('disk-cache', 'FILE', 'a second-level cache: a sparse file the size of the volume'),
      ...rehydrate,
    ],
    examples: ['snaptier serve --repo /srv/backups --volume db --snapshot latest --listen 127.0.0.1:10809'],
  },
  {
    name: 'daemon',
    summary: 'run scheduled backups, retention and checks from a config file',
    usage: '--config FILE [--check] [flags]',
    flags: [s('config', 'FILE', 'the daemon configuration'), b('check', 'validate the configuration and exit')],
    examples: ['snaptier daemon --config /etc/snaptier/daemon.yaml --check'],
  },
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMAND_TABLE.find((c) => c.name === name);
}

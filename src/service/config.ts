// The daemon's configuration (SERVICE.md): YAML validated with a zod schema. Every problem is
// reported on one line naming its key path and the line in the file; references between
// sections (a volume's repository, a policy's volume) are checked too. Secrets are never in
// the file: passwords and the API token come from files or the environment.
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, parseDocument } from 'yaml';
import { z } from 'zod';
import { REWRITE_AT_CHUNKS } from '../defaults.js';
import { UsageError } from '../errors.js';
import { DEFAULT_TIMEZONE, cronProblem, timezoneProblem } from './cron.js';

const cron = z.string().superRefine((s, ctx) => {
  const problem = cronProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@:+-]*$/, 'letters, digits and . _ @ : + - only');
const seconds = z.number().positive().max(86_400);

const source = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('file'), path: z.string().min(1) }),
  z.strictObject({
    type: z.literal('command'),
    create: z.string().min(1),
    delete: z.string().min(1).optional(),
    timeoutSeconds: seconds.default(600),
  }),
  z.strictObject({
    type: z.literal('rbd'),
    image: z.string().regex(/^[^/@\s]+\/[^/@\s]+$/, 'pool/image'),
    cephConf: z.string().optional(),
    id: z.string().optional(),
    // stream: `rbd export SPEC -` piped into the backup (no scratch space; every fingerprint is
    // compared, the change list only tallied); file: exported to the state directory first (room
    // for one image; the change list steers the reads and a killed backup resumes).
    export: z.enum(['stream', 'file']).default('stream'),
    timeoutSeconds: seconds.default(3600),
  }),
]);

const volume = z.strictObject({
  repository: name,
  schedule: cron,
  source,
  hooks: z.strictObject({ pre: z.string().optional(), post: z.string().optional(), timeoutSeconds: seconds.default(30) }).optional(),
  labels: z.record(z.string(), z.string()).default({}),
  /** How a source's change list is checked against its base (as backup --verify-hints). */
  verifyHints: z.enum(['sample', 'full', 'off']).default('sample'),
  /** A changed segment whose base map references this many chunks is stored whole (as backup --rewrite-at); 0 never. */
  rewriteAt: z.number().int().min(0).max(1_000_000).default(REWRITE_AT_CHUNKS),
  retry: z.strictObject({ attempts: z.number().int().min(1).max(100).default(1), backoffSeconds: z.number().min(0).max(86_400).default(60) }).default({ attempts: 1, backoffSeconds: 60 }),
  /** A backup that runs longer is stopped (it resumes next run); 0: no limit. */
  timeoutSeconds: z.number().min(0).default(0),
});

const keep = z
  .strictObject({
    last: z.number().int().min(0).optional(),
    hourly: z.number().int().min(0).optional(),
    daily: z.number().int().min(0).optional(),
    weekly: z.number().int().min(0).optional(),
    monthly: z.number().int().min(0).optional(),
    yearly: z.number().int().min(0).optional(),
  })
  .refine((k) => Object.values(k).some((n) => n !== undefined && n > 0), 'give at least one rule above 0 (forget refuses to remove every snapshot)');

const policyBase = { name, schedule: cron };
const policy = z.discriminatedUnion('kind', [
  z.strictObject({ ...policyBase, kind: z.literal('forget'), repository: name, volume: name.optional(), keep, prune: z.boolean().default(false) }),
  z.strictObject({ ...policyBase, kind: z.literal('copy'), from: name, to: name, volume: name.optional() }),
  z.strictObject({
    ...policyBase,
    kind: z.literal('verify'),
    repository: name,
    readData: z.string().regex(/^(100|[1-9]?[0-9](\.[0-9]+)?)%$/, 'a share of packs such as "10%"').default('10%'),
  }),
  z.strictObject({
    ...policyBase,
    kind: z.literal('drill'),
    volume: name,
    scratch: z.string().min(1),
    /** Rehydrate cold packs at this priority before the drill; absent: a drill that needs them fails, naming them. */
    rehydrate: z.enum(['bulk', 'standard', 'expedited']).optional(),
  }),
  // Data packs older than olderThanDays move to class (docs/archive.md); nothing else moves.
  z.strictObject({ ...policyBase, kind: z.literal('tier'), repository: name, olderThanDays: z.number().min(0), class: z.string().min(1) }),
]);

const repository = z.strictObject({
  url: z.string().min(1),
  passwordFile: z.string().optional(),
  /** KiB/s; 0 or absent: no limit. */
  uploadLimit: z.number().int().min(0).optional(),
  downloadLimit: z.number().int().min(0).optional(),
});

const schema = z.strictObject({
  listen: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/, 'host:port').default('127.0.0.1:9470'),
  tokenFile: z.string().optional(),
  stateDir: z.string().min(1),
  concurrency: z.number().int().min(1).max(64).default(2),
  /** The IANA time zone every schedule is read in. */
  timezone: z
    .string()
    .superRefine((tz, ctx) => {
      const problem = timezoneProblem(tz);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default(DEFAULT_TIMEZONE),
  repositories: z.record(name, repository),
  volumes: z.record(name, volume).default({}),
  policies: z.array(policy).default([]),
});

export type DaemonConfig = z.infer<typeof schema>;
export type VolumeConfig = z.infer<typeof volume>;
export type SourceConfig = z.infer<typeof source>;
export type PolicyConfig = z.infer<typeof policy>;
export type RepositoryConfig = z.infer<typeof repository>;

/** A configuration that cannot be used: `problems` holds one line per problem. */
export class ConfigError extends UsageError {
  override readonly code = 'BAD_CONFIG';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.join('\n'));
  }
}

export async function loadConfig(file: string): Promise<DaemonConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`${file}: cannot be read: ${(err as Error).message}`]);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): DaemonConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => `${file}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`));
  }
  const lineOf = (path: ReadonlyArray<PropertyKey>): number => {
    // The deepest node of the path that exists: an unknown or missing key points at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      const keyLine = n > 0 ? keyLineOf(doc.getIn(path.slice(0, n - 1) as unknown[], true), path[n - 1]) : null;
      if (keyLine !== null) return lines.linePos(keyLine).line;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return 1;
  };
  const parsed = schema.safeParse(doc.toJS() ?? {});
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [null];
      for (const k of keys) {
        const path = k === null ? issue.path : [...issue.path, k];
        const msg = k === null ? issue.message : 'unknown key';
        problems.push(`${file}:${lineOf(path)}: ${showPath(path)}: ${msg}`);
      }
    }
    throw new ConfigError(file, problems);
  }
  const cfg = parsed.data;
  const ref = (path: PropertyKey[], section: 'repositories' | 'volumes', value: string | undefined): void => {
    const known = section === 'repositories' ? cfg.repositories : cfg.volumes;
    if (value !== undefined && !(value in known)) problems.push(`${file}:${lineOf(path)}: ${showPath(path)}: no ${section === 'repositories' ? 'repository' : 'volume'} named ${value}`);
  };
  for (const [v, vol] of Object.entries(cfg.volumes)) ref(['volumes', v, 'repository'], 'repositories', vol.repository);
  const seen = new Set<string>();
  cfg.policies.forEach((p, i) => {
    if (seen.has(p.name)) problems.push(`${file}:${lineOf(['policies', i, 'name'])}: policies.${i}.name: a second policy named ${p.name}`);
    seen.add(p.name);
    if (p.kind === 'forget' || p.kind === 'verify' || p.kind === 'tier') ref(['policies', i, 'repository'], 'repositories', p.repository);
    if (p.kind === 'copy') {
      ref(['policies', i, 'from'], 'repositories', p.from);
      ref(['policies', i, 'to'], 'repositories', p.to);
      if (p.from === p.to) problems.push(`${file}:${lineOf(['policies', i, 'to'])}: policies.${i}.to: copies to the repository it copies from`);
    }
    if (p.kind === 'drill' || (p.kind === 'forget' && p.volume !== undefined)) ref(['policies', i, 'volume'], 'volumes', p.volume);
  });
  if (problems.length) throw new ConfigError(file, problems);
  return cfg;
}

function keyLineOf(parent: unknown, key: PropertyKey | undefined): number | null {
  if (key === undefined || !isMap(parent)) return null;
  for (const pair of parent.items) {
    const k = pair.key as { value?: unknown; range?: [number, number, number] } | null;
    if (k && String(k.value) === String(key) && k.range) return k.range[0];
  }
  return null;
}

function showPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length ? path.map(String).join('.') : '(top level)';
}

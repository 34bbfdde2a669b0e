// The Terraform of infra/terraform, parsed (no terraform binary or provider is needed): the S3 bucket
// is versioned, locked by default for a variable number of days, encrypted with KMS, moves data packs
// to a colder class and aborts unfinished uploads; its IAM policy grants exactly the S3 actions of the
// calls src/store/s3 makes. The Azure container keeps versions immutable and gives snaptier a role.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform interpolations, as hcl2json returns them
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { DATA_PREFIX } from '../../src/format/layout.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TF = join(ROOT, 'infra/terraform');

type Json = any;

/** All .tf files of a folder parsed and merged, block type by block type (as Terraform does). */
async function load(dir: string): Promise<Json> {
  const merged: Json = {};
  for (const f of readdirSync(join(TF, dir))
    .filter((n) => n.endsWith('.tf'))
    .sort()) {
    const parsed: Json = await parse(f, readFileSync(join(TF, dir, f), 'utf8'));
    for (const [block, body] of Object.entries(parsed)) {
      merged[block] ??= {};
      for (const [type, items] of Object.entries(body as Json)) {
        merged[block][type] = { ...merged[block][type], ...(items as Json) };
      }
    }
  }
  return merged;
}

/** The IAM action(s) each S3 call of src/store/s3 needs, and why. */
const IAM_ACTIONS: Record<string, string[]> = {
  AbortMultipartUpload: ['s3:AbortMultipartUpload'],
  CompleteMultipartUpload: ['s3:PutObject'],
  CreateMultipartUpload: ['s3:PutObject'],
  UploadPart: ['s3:PutObject'],
  PutObject: ['s3:PutObject', 's3:PutObjectRetention'], // a put with ObjectLockRetainUntilDate needs both
  PutObjectRetention: ['s3:PutObjectRetention'],
  GetObject: ['s3:GetObject'],
  CopyObject: ['s3:GetObject', 's3:PutObject'], // `tier`: a copy onto itself with a colder class
  RestoreObject: ['s3:RestoreObject'], // `restore --rehydrate`: thaw an archived pack
  HeadObject: ['s3:GetObject'],
  DeleteObject: ['s3:DeleteObject'],
  DeleteObjects: ['s3:DeleteObject', 's3:DeleteObjectVersion'], // prune deletes versions by id
  HeadBucket: ['s3:ListBucket'],
  ListObjects: ['s3:ListBucket'],
  ListObjectsV2: ['s3:ListBucket'],
  ListObjectVersions: ['s3:ListBucketVersions'],
  GetObjectLockConfiguration: ['s3:GetBucketObjectLockConfiguration'],
  // Only `init` of a bucket that does not exist calls it; Terraform made this one.
  CreateBucket: [],
};

/** Every `new XxxCommand(` in src/store/s3. */
function s3Calls(): string[] {
  const dir = join(ROOT, 'src/store/s3');
  const calls = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/new (\w+)Command\(/g)) calls.add(m[1]!);
  }
  return [...calls].sort();
}

const one = (block: Json, type: string, name: string): Json => block[type]?.[name]?.[0];
const variableDefault = (tf: Json, ref: string): unknown => {
  const m = /^\$\{var\.(\w+)\}$/.exec(ref);
  expect(m, `${ref} is a variable`).not.toBeNull();
  const v = one(tf, 'variable', m![1]!) ?? tf.variable[m![1]!]?.[0];
  expect(v, `variable ${m![1]} is declared`).toBeDefined();
  return v.default;
};

describe('terraform/aws', async () => {
  const tf = await load('aws');
  const r = tf.resource;
  const bucket = '${aws_s3_bucket.repository.id}';

  it('creates the bucket with Object Lock and versioning', () => {
    expect(one(r, 'aws_s3_bucket', 'repository').object_lock_enabled).toBe(true);
    const v = one(r, 'aws_s3_bucket_versioning', 'repository');
    expect(v.bucket).toBe(bucket);
    expect(v.versioning_configuration[0].status).toBe('Enabled');
  });

  it('makes every object immutable by default (Object Lock) for a number of days set by a variable', () => {
    const lock = one(r, 'aws_s3_bucket_object_lock_configuration', 'repository');
    expect(lock.bucket).toBe(bucket);
    const retention = lock.rule[0].default_retention[0];
    expect(typeof variableDefault(tf, retention.days)).toBe('number');
    expect(['COMPLIANCE', 'GOVERNANCE']).toContain(variableDefault(tf, retention.mode));
  });

  it('encrypts with SSE-KMS', () => {
    const sse = one(r, 'aws_s3_bucket_server_side_encryption_configuration', 'repository');
    const rule = sse.rule[0].apply_server_side_encryption_by_default[0];
    expect(rule.sse_algorithm).toBe('aws:kms');
    expect(rule.kms_master_key_id).toBe('${local.kms_key_arn}');
  });

  it('moves data packs (and only them) to a colder class and aborts unfinished multipart uploads', () => {
    const rules: Json[] = one(r, 'aws_s3_bucket_lifecycle_configuration', 'repository').rule;
    const locals = Object.assign({}, ...Object.values(tf.locals as object));
    const data = rules.filter((x) => x.transition);
    expect(data).toHaveLength(1);
    const prefix = data[0].filter[0].prefix;
    expect(prefix).toBe('${local.data_prefix}');
    expect(locals.data_prefix).toBe(`\${var.repository_prefix}${DATA_PREFIX}`);
    expect(variableDefault(tf, data[0].transition[0].storage_class)).not.toBe('STANDARD');
    const abort = rules.find((x) => x.abort_incomplete_multipart_upload);
    expect(abort?.status).toBe('Enabled');
    expect(abort.filter).toEqual([{}]); // the whole bucket
    expect(typeof variableDefault(tf, abort.abort_incomplete_multipart_upload[0].days_after_initiation)).toBe('number');
  });

  it('grants snaptier exactly the S3 actions of the calls src/store/s3 makes', () => {
    const calls = s3Calls();
    const unmapped = calls.filter((c) => !(c in IAM_ACTIONS));
    expect(unmapped, 'map each new S3 call to its IAM action in this test').toEqual([]);
    const needed = new Set(calls.flatMap((c) => IAM_ACTIONS[c]!));
    const statements: Json[] = tf.data.aws_iam_policy_document.snaptier[0].statement;
    const granted = new Set(statements.flatMap((s) => s.actions as string[]).filter((a) => a.startsWith('s3:')));
    expect([...granted].sort()).toEqual([...needed].sort());
    for (const s of statements) expect(s.effect ?? 'Allow').toBe('Allow');
    expect(statements.flatMap((s) => s.actions as string[]).some((a) => a.includes('*'))).toBe(false);
  });

  it('finds the S3 calls it maps (the scan works)', () => {
    expect(s3Calls()).toEqual(expect.arrayContaining(['PutObject', 'GetObject', 'ListObjectVersions', 'UploadPart']));
  });
});

describe('terraform/azure', async () => {
  const tf = await load('azure');
  const r = tf.resource;

  it('turns blob versioning on in the account and refuses shared keys and public blobs', () => {
    const account = one(r, 'azurerm_storage_account', 'repository');
    expect(account.blob_properties[0].versioning_enabled).toBe(true);
    expect(account.shared_access_key_enabled).toBe(false);
    expect(account.allow_nested_items_to_be_public).toBe(false);
    expect(account.min_tls_version).toBe('TLS1_2');
  });

  it('creates the container with version-level immutability and a default retention variable', () => {
    const container = one(r, 'azapi_resource', 'container');
    expect(container.type).toMatch(/^Microsoft\.Storage\/storageAccounts\/blobServices\/containers@/);
    expect(container.body.properties.immutableStorageWithVersioning.enabled).toBe(true);
    const policy = one(r, 'azapi_resource', 'default_retention');
    expect(policy.parent_id).toBe('${azapi_resource.container.id}');
    expect(typeof variableDefault(tf, policy.body.properties.immutabilityPeriodSinceCreationInDays)).toBe('number');
  });

  it('assigns snaptier a role scoped to its container', () => {
    const assignment = one(r, 'azurerm_role_assignment', 'snaptier');
    expect(assignment.scope).toBe('${azapi_resource.container.id}');
    expect(assignment.principal_id).toBe('${var.snaptier_principal_id}');
    const role = one(r, 'azurerm_role_definition', 'snaptier');
    expect(role.assignable_scopes).toEqual(['${azapi_resource.container.id}']);
    expect(role.permissions[0].data_actions.some((a: string) => a.includes('*'))).toBe(false);
  });
});

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
describe.skipIf(terraform.status !== 0)('terraform fmt (when a terraform binary is installed)', () => {
  it.each(['aws', 'azure'])('%s is formatted as terraform fmt writes it', (dir) => {
    const r = spawnSync('terraform', ['fmt', '-check', '-diff', join(TF, dir)], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});

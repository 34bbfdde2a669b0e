// Parses an `s3://` repository URL into where the repository lives and how to talk to the store.
//
//   s3://BUCKET[/PREFIX][?OPTION=VALUE&...]
//
// BUCKET is 3-63 characters of letters, digits, '.', '-' and '_'. PREFIX (optional, percent-
// encoded where needed) is the "folder" inside the bucket that holds the repository; every key is
// stored as PREFIX/key. Options, all optional:
//
//   endpoint=URL         http(s) URL of an S3-compatible server (Ceph RGW, MinIO, s3rver, ...).
//                        Default: the SDK's choice (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the
//                        profile's endpoint_url, else AWS itself for the region).
//   path-style=BOOL      Address the bucket as ENDPOINT/BUCKET/key instead of BUCKET.ENDPOINT/key.
//                        Default: true when an endpoint is given here or in AWS_ENDPOINT_URL_S3 /
//                        AWS_ENDPOINT_URL (self-hosted stores rarely have wildcard DNS), else false.
//   region=R             Signing region. Default: the AWS chain (AWS_REGION, AWS_DEFAULT_REGION,
//                        the profile), else us-east-1, which every S3-compatible store accepts.
//   list-v1=BOOL         List with ListObjects (v1) and Marker instead of ListObjectsV2. For stores
//                        whose v2 pagination is broken (s3rver on Node >= 17) or absent. Default false.
//   atomic-create=BOOL   Whether the store enforces `If-None-Match: *` on PutObject (AWS since 2024,
//                        Ceph RGW). false declares that it ignores it (s3rver, older stores): the
//                        adapter then checks with HEAD before a create-once put, which is not atomic,
//                        and reports capabilities.atomicCreate = false. Default true.
//   checksums=MODE       `when-required` (default) or `when-supported`: when the SDK adds flexible
//                        checksums (x-amz-checksum-*). `when-supported` sends streams as aws-chunked,
//                        which s3rver stores with its framing and Ceph 16 refuses (411); integrity is
//                        ours anyway (SHA-256 in the format), so the default is safe everywhere.
//
// BOOL is true/false (also 1/0, yes/no). An unknown option is refused, so a typo is not ignored.
import { UsageError } from '../../errors.js';

export interface S3Location {
  bucket: string;
  /** '' or a prefix ending in '/', prepended to every key. */
  prefix: string;
  endpoint?: string;
  region?: string;
  forcePathStyle: boolean;
  listV1: boolean;
  atomicCreate: boolean;
  checksums: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';
}

const OPTIONS = ['endpoint', 'path-style', 'region', 'list-v1', 'atomic-create', 'checksums'] as const;
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/i;
const REGION = /^[a-z0-9-]{1,64}$/i;

/** The parts of `url`; throws UsageError naming the URL when it is malformed. */
export function parseS3Url(url: string, env: NodeJS.ProcessEnv = process.env): S3Location {
  const bad = (why: string): UsageError => new UsageError(`invalid S3 repository URL ${url}: ${why}`);
  const m = /^s3:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(url);
  if (!m) {
    if (!/^s3:\/\//i.test(url)) throw bad('it must start with s3://');
    throw bad('expected s3://BUCKET/PREFIX?OPTION=VALUE (no #fragment)');
  }
  const bucket = m[1] ?? '';
  if (!BUCKET.test(bucket)) throw bad(`bucket name "${bucket}" must be 3-63 letters, digits, '.', '-' or '_'`);
  const prefix = parsePrefix(m[2] ?? '', bad);

  const params = new URLSearchParams(m[3] ?? '');
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!(OPTIONS as readonly string[]).includes(name)) throw bad(`unknown option "${name}" (known: ${OPTIONS.join(', ')})`);
    if (seen.has(name)) throw bad(`option "${name}" given twice`);
    seen.add(name);
  }
  const bool = (name: string, dflt: boolean): boolean => {
    const v = params.get(name);
    if (v === null) return dflt;
    if (/^(true|1|yes)$/i.test(v)) return true;
    if (/^(false|0|no)$/i.test(v)) return false;
    throw bad(`option ${name} must be true or false, not "${v}"`);
  };

  const endpoint = params.get('endpoint') ?? undefined;
  if (endpoint !== undefined) checkEndpoint(endpoint, bad);
  const region = params.get('region') ?? undefined;
  if (region !== undefined && !REGION.test(region)) throw bad(`region "${region}" is not a region name`);
  const checksums = params.get('checksums') ?? 'when-required';
  if (checksums !== 'when-required' && checksums !== 'when-supported') {
    throw bad(`option checksums must be when-required or when-supported, not "${checksums}"`);
  }
  const customEndpoint = endpoint !== undefined || Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);

  return {
    bucket,
    prefix,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(region !== undefined ? { region } : {}),
    forcePathStyle: bool('path-style', customEndpoint),
    listV1: bool('list-v1', false),
    atomicCreate: bool('atomic-create', true),
    checksums: checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
  };
}

function parsePrefix(path: string, bad: (why: string) => UsageError): string {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(trimmed);
  } catch {
    throw bad('the prefix has a malformed %-escape');
  }
  for (const segment of decoded.split('/')) {
    // An empty or dot segment is almost always a typo, and some stores normalise it away.
    if (segment === '' || segment === '.' || segment === '..') throw bad(`the prefix "${decoded}" has an empty, "." or ".." segment`);
  }
  if (Buffer.byteLength(decoded) > 512) throw bad('the prefix is longer than 512 bytes');
  return `${decoded}/`;
}

function checkEndpoint(endpoint: string, bad: (why: string) => UsageError): void {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw bad(`endpoint "${endpoint}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad(`endpoint "${endpoint}" must be an http:// or https:// URL`);
  if (u.search || u.hash) throw bad(`endpoint "${endpoint}" must not have a query or fragment`);
}

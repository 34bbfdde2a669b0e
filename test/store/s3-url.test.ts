// The s3:// repository URL of CLI.md: what each part and option means, and that every malformed
// URL is refused as a usage error that names it.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { S3Store, parseS3Url } from '../../src/store/s3/s3-store.js';

const noEnv = {};

describe('parseS3Url', () => {
  it('reads the bucket and an optional prefix, and defaults every option', () => {
    expect(parseS3Url('s3://my-bucket', noEnv)).toEqual({
      bucket: 'my-bucket',
      prefix: '',
      forcePathStyle: false,
      listV1: false,
      atomicCreate: true,
      checksums: 'WHEN_REQUIRED',
    });
    expect(parseS3Url('s3://my-bucket/', noEnv).prefix).toBe('');
    expect(parseS3Url('s3://my-bucket/backups/host-1', noEnv).prefix).toBe('backups/host-1/');
    expect(parseS3Url('s3://my-bucket/backups/host-1/', noEnv).prefix).toBe('backups/host-1/');
    expect(parseS3Url('s3://my-bucket/with%20space/%C3%A9t%C3%A9', noEnv).prefix).toBe('with space/été/');
  });

  it('reads every option', () => {
    const loc = parseS3Url(
      's3://b.with.dots/p?endpoint=http://127.0.0.1:7480&path-style=false&region=eu-west-3&list-v1=true&atomic-create=false&checksums=when-supported',
      noEnv,
    );
    expect(loc).toEqual({
      bucket: 'b.with.dots',
      prefix: 'p/',
      endpoint: 'http://127.0.0.1:7480',
      region: 'eu-west-3',
      forcePathStyle: false,
      listV1: true,
      atomicCreate: false,
      checksums: 'WHEN_SUPPORTED',
    });
    expect(parseS3Url(`s3://bkt?endpoint=${encodeURIComponent('https://s3.example.com:8443/')}`, noEnv).endpoint).toBe(
      'https://s3.example.com:8443/',
    );
  });

  it('uses path-style addressing by default exactly when an endpoint is configured', () => {
    expect(parseS3Url('s3://bkt?endpoint=http://localhost:9000', noEnv).forcePathStyle).toBe(true);
    expect(parseS3Url('s3://bkt', { AWS_ENDPOINT_URL_S3: 'http://localhost:9000' }).forcePathStyle).toBe(true);
    expect(parseS3Url('s3://bkt', { AWS_ENDPOINT_URL: 'http://localhost:9000' }).forcePathStyle).toBe(true);
    expect(parseS3Url('s3://bkt?endpoint=http://localhost:9000&path-style=0', noEnv).forcePathStyle).toBe(false);
    expect(parseS3Url('s3://bkt?path-style=yes', noEnv).forcePathStyle).toBe(true);
  });

  it.each([
    ['http://bucket/prefix', /must start with s3:\/\//],
    ['s3:/bucket', /must start with s3:\/\//],
    ['s3://', /bucket name/],
    ['s3://ab', /bucket name/],
    ['s3://-bucket', /bucket name/],
    ['s3://bucket-', /bucket name/],
    [`s3://${'b'.repeat(64)}`, /bucket name/],
    ['s3://bu cket', /bucket name/],
    ['s3://bucket/a//b', /empty, "\." or "\.\." segment/],
    ['s3://bucket/a/../b', /empty, "\." or "\.\." segment/],
    ['s3://bucket/a/%zz', /malformed %-escape/],
    ['s3://bucket/p#frag', /fragment/],
    ['s3://bucket?endpont=http://x', /unknown option "endpont"/],
    ['s3://bucket?region=a&region=b', /given twice/],
    ['s3://bucket?list-v1=maybe', /list-v1 must be true or false/],
    ['s3://bucket?atomic-create=', /atomic-create must be true or false/],
    ['s3://bucket?endpoint=localhost:9000', /must be an http:\/\/ or https:\/\/ URL/],
    ['s3://bucket?endpoint=not a url', /is not a URL/],
    ['s3://bucket?region=eu_west!', /not a region name/],
    ['s3://bucket?checksums=always', /checksums must be/],
  ])('refuses %s as a usage error naming the URL', (url, why) => {
    let err: unknown;
    try {
      parseS3Url(url, noEnv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).toMatch(why);
  });
});

describe('S3Store from a URL', () => {
  it('declares atomicCreate and the S3 storage classes as the URL says, without contacting the store', async () => {
    const atomic = new S3Store('s3://bucket/p?endpoint=http://127.0.0.1:1');
    const plain = new S3Store('s3://bucket/p?endpoint=http://127.0.0.1:1&atomic-create=false');
    expect(atomic.capabilities).toEqual({
      atomicCreate: true,
      tiers: ['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'],
      immutability: true,
      archiveTiers: ['GLACIER', 'DEEP_ARCHIVE'],
    });
    expect(plain.capabilities.atomicCreate).toBe(false);
    expect(atomic.description).toBe('S3 bucket bucket prefix p/ at http://127.0.0.1:1');
    await atomic.close();
    await plain.close();
  });

  it('refuses a malformed URL at construction', () => {
    expect(() => new S3Store('s3://x')).toThrow(UsageError);
  });
});

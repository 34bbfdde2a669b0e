// Entry point of the s3rver child process (see s3rver.ts): s3rver's own CLI, with one fix to its
// filesystem store. s3rver 3.7.1 writes an object in place (createWriteStream on the final path)
// and answers before the write has finished, so concurrent PUTs of one key interleave their bytes
// and a GET right after a PUT can read a partial file. Every real S3 replaces an object atomically
// (the store contract tests it), so here each PUT is written to a temporary file, flushed, and
// renamed into place before the answer. Everything else is s3rver as published.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { Transform } = require('node:stream');
const FilesystemStore = require('s3rver/lib/stores/filesystem');

FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  // Does not end in "._S3rver_object", so listings never show it.
  const temp = `${objectPath}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  const md5 = crypto.createHash('md5');
  let size = 0;
  const count = new Transform({
    transform(chunk, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
    await pipeline(source, count, fs.createWriteStream(temp));
    await fs.promises.rename(temp, objectPath);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
  const digest = md5.digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, digest);
  return { size, md5: digest };
};

require('s3rver/bin/s3rver.js');

// `node --import test/helpers/load-recorder.mjs ...`: records every module the process loads into
// the file SNAPTIER_TEST_LOAD_LOG, one file:// URL a line: ES modules (and bundle chunks) through
// a loader hook, CommonJS modules (require(), createRequire) from the require cache at exit.
// A test seam of test/cli/startup.test.ts only; the product has no such switch.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const log = process.env.SNAPTIER_TEST_LOAD_LOG;
if (log) {
  register('./load-recorder-hooks.mjs', import.meta.url, { data: { log } });
  process.on('exit', () => {
    const cached = Object.keys(createRequire(import.meta.url).cache).map((p) => pathToFileURL(p).href);
    appendFileSync(log, cached.map((u) => `${u}\n`).join(''));
  });
}

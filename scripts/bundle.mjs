// The bundled build that bin/snaptier runs (part of `npm run build`, after tsc): esbuild turns
// the ~200 compiled modules and their packages into a few ES module files in dist/bundle/, so a
// command's start-up reads and resolves a handful of files instead of several hundred. Code
// only some commands need (the S3 and Azure SDKs, the daemon's packages, a command's own
// modules) stays behind dynamic imports, which esbuild's splitting turns into chunks loaded on
// first use. dist/bundle/meta.json maps every output file to its inputs (test/cli/startup.test.ts
// reads it to name what a command loaded).
//
// dist/bundle/ is two levels below the repository root, like dist/cli/ and dist/engine/, so the
// paths code computes from import.meta.url still hold: ../../package.json (the version),
// ../../build/Release (our addon), and ./cpu-worker.js beside the pool (the worker thread).
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: {
    // The command line (bin/snaptier).
    main: 'src/cli/main.ts',
    // The worker thread of the CPU stages: the pool starts ./cpu-worker.js beside its own chunk.
    'cpu-worker': 'src/engine/workers/cpu-worker.ts',
    // The test suites' handle on the scrypt cost (test/helpers/snaptier-low-kdf.mjs): an entry of
    // its own, so it shares one module instance (a common chunk) with main's key derivation.
    'kdf-cost': 'src/crypto/kdf-cost.ts',
  },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Packages' ES module builds first: smaller, and what the SDKs ship for bundlers.
  mainFields: ['module', 'main'],
  chunkNames: 'chunk-[hash]',
  // Native addons load their .node files relative to their own package: they stay in
  // node_modules. (Our own addon is loaded by path from build/Release, see data-extents.ts.)
  external: ['zstd-napi', 'lz4-napi'],
  // CommonJS packages inside an ES module bundle call require() for Node's built-ins.
  banner: { js: "import { createRequire as __snaptierCreateRequire } from 'node:module'; const require = __snaptierCreateRequire(import.meta.url);" },
  metafile: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(join(OUT, 'meta.json'), JSON.stringify(result.metafile));

// Generates static protobuf code from proto/snaptier.proto into src/format/gen/.
// With --check, regenerates into a temporary folder and fails if the committed code differs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const check = process.argv.includes('--check');
const outDir = check ? mkdtempSync(join(tmpdir(), 'snaptier-proto-')) : 'src/format/gen';
const js = join(outDir, 'snaptier.js');
const dts = join(outDir, 'snaptier.d.ts');
const bin = (name) => join('node_modules', '.bin', name);

execFileSync(bin('pbjs'), ['-t', 'static-module', '-w', 'es6', '--no-beautify', '--no-delimited',
  '--no-verify', '--no-convert', '--force-number', '-o', js, 'proto/snaptier.proto'], { stdio: 'inherit' });
// NodeNext needs the explicit .js extension on the runtime import.
writeFileSync(js, readFileSync(js, 'utf8').replace(/from "protobufjs\/minimal"/g, 'from "protobufjs/minimal.js"'));
execFileSync(bin('pbts'), ['--no-comments', '-o', dts, js], { stdio: 'inherit' });

if (check) {
  const same = ['snaptier.js', 'snaptier.d.ts'].every(
    (f) => readFileSync(join(outDir, f), 'utf8') === readFileSync(join('src/format/gen', f), 'utf8'));
  rmSync(outDir, { recursive: true, force: true });
  if (!same) {
    console.error('src/format/gen is stale: run `npm run gen:proto` and commit the result');
    process.exit(1);
  }
  console.log('generated protobuf code is up to date');
}

// tsc does not copy the generated JavaScript (only its .d.ts is type-checked): copy it to dist.
import { cpSync } from 'node:fs';
cpSync('src/format/gen/snaptier.js', 'dist/format/gen/snaptier.js');

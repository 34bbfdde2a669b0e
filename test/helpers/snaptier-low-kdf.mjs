#!/usr/bin/env node
// bin/snaptier for the test suites: the same main(), after lowering the scrypt cost of the keys
// this process creates (see src/crypto/kdf-cost.ts). Needs the build, as bin/snaptier does.
import { useLowSecurityKdfForTests } from '../../dist/crypto/kdf-cost.js';
import { main } from '../../dist/cli/main.js';

useLowSecurityKdfForTests();
process.exitCode = await main(process.argv.slice(2));

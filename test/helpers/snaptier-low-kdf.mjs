#!/usr/bin/env node
// bin/snaptier for the test suites: the same main() of the same bundle, after lowering the scrypt
// cost of the keys this process creates (see src/crypto/kdf-cost.ts). Needs the build, as
// bin/snaptier does; the bundle's kdf-cost entry shares its module instance with main's.
import { useLowSecurityKdfForTests } from '../../dist/bundle/kdf-cost.js';
import { main } from '../../dist/bundle/main.js';

useLowSecurityKdfForTests();
process.exitCode = await main(process.argv.slice(2));

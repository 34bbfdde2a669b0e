// The scrypt cost of new keys. Production always derives with SCRYPT (defaults.ts). Test code,
// and only from inside its own process, may lower it with useLowSecurityKdfForTests (as
// restic's TestUseLowSecurityKDFParameters does): no flag or environment variable reaches it,
// so nobody can weaken a real repository from outside. Opening a repository always uses the
// parameters stored with each key, whatever this says.
import { SCRYPT } from '../defaults.js';

/** The lowest cost deriveKey accepts; enough to exercise the code, useless as protection. */
const TEST_LOG2N = 10;

let log2N: number = SCRYPT.log2N;

/** log2(N) of scrypt for keys made now. */
export function newKeyLog2N(): number {
  return log2N;
}

/** Makes this process create cheap keys, for test suites that create hundreds of repositories. */
export function useLowSecurityKdfForTests(): void {
  log2N = TEST_LOG2N;
}

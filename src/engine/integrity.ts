// The integrity mapping of stored bytes lives in src/format/integrity.ts (the repository uses it
// too, without loading the engine); engine modules import it from here as before.
export { asIntegrity, guard } from '../format/integrity.js';

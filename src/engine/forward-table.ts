// The forwarding table lives in src/format/forward-table.ts (the repository reads and writes the
// records behind it without loading the engine); engine modules import it from here as before.
export { ForwardTable, type Place } from '../format/forward-table.js';

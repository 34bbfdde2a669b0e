// The long tier: `SNAPTIER_LONG=1 npx vitest run` runs the soak and scale variants of some tests
// (larger images, more kill moments) on top of what `npm test` proves with smaller ones. The
// default sizes keep every boundary a test is about; the long ones add margin, not new cases.
export const LONG = process.env.SNAPTIER_LONG === '1';

/** `usual` in `npm test`, `long` under SNAPTIER_LONG=1. */
export function longOr<T>(usual: T, long: T): T {
  return LONG ? long : usual;
}

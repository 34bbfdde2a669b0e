// The one clock of the library: everything that asks "what time is it" (prune's view of running
// backups, checkpoint times, lease ages, the end of immutability) takes a Clock, so a test can
// hold time still or move it by hand instead of sleeping. Times are ms since the epoch, as Date.now().

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told: for tests of ages, grace periods and lease expiry. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

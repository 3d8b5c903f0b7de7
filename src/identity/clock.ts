/** Injected wherever time matters, so tests can move it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function isoNow(clock: Clock): string {
  return clock().toISOString();
}

export function isoAfter(clock: Clock, seconds: number): string {
  return new Date(clock().getTime() + seconds * 1000).toISOString();
}

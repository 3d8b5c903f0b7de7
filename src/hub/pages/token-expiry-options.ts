/** One choice of the token page's "Expires in" list; an empty value sends no `expires_in`. */
export interface ExpiryOption {
  label: string;
  value: string;
}

const CHOICES: ReadonlyArray<readonly [label: string, seconds: number]> = [
  ['1 Hour', 3600],
  ['1 Day', 86_400],
  ['1 Week', 604_800],
  ['1 Month', 2_592_000],
  ['1 Year', 31_536_000],
];

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "36 hours", "10 days": the maximum in the largest unit that keeps it readable. */
export function describeSeconds(seconds: number): string {
  if (seconds >= 2 * 86_400) return plural(Math.round(seconds / 86_400), 'day');
  if (seconds >= 2 * 3600) return plural(Math.round(seconds / 3600), 'hour');
  if (seconds >= 120) return plural(Math.round(seconds / 60), 'minute');
  return plural(seconds, 'second');
}

/**
 * The list JupyterHub 5.1's token page offers: without a maximum the fixed choices and "Never";
 * with one, only the choices within it, plus "Max (...)" when the maximum is not itself a choice.
 * The last entry is the default (as there), and an empty value lets the API apply the maximum.
 */
export function expiryOptions(maxSeconds: number): ExpiryOption[] {
  const within = CHOICES.filter(([, seconds]) => maxSeconds <= 0 || seconds <= maxSeconds);
  const options = within.map(([label, seconds]) => ({ label, value: String(seconds) }));
  if (maxSeconds <= 0) return [...options, { label: 'Never', value: '' }];
  if (!within.some(([, seconds]) => seconds === maxSeconds)) options.push({ label: `Max (${describeSeconds(maxSeconds)})`, value: '' });
  return options;
}

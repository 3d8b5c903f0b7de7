export type UsernameCharacterClass = 'letters' | 'digits' | 'underscore' | 'hyphen' | 'period';

const classOf: ReadonlyArray<readonly [UsernameCharacterClass, RegExp]> = [
  ['letters', /[a-z]/],
  ['digits', /[0-9]/],
  ['underscore', /_/],
  ['hyphen', /-/],
  ['period', /\./],
];

/** The first character of a (normalized) name outside the allowed classes, or undefined. */
export function disallowedUsernameCharacter(name: string, allowed: readonly UsernameCharacterClass[]): string | undefined {
  for (const char of name) {
    const entry = classOf.find(([, test]) => test.test(char));
    if (!entry || !allowed.includes(entry[0])) return char;
  }
  return undefined;
}

import { isCommonPassword } from './common-passwords.js';

export interface PasswordPolicy {
  minimumLength: number;
  checkCommon: boolean;
  checkContainsUsername: boolean;
  /** How many of lower, upper, digit, other must appear (0-4). */
  requiredClasses: number;
}

/** Longer than this is refused: hashing megabytes of "password" is a denial of service. */
const MAXIMUM_LENGTH = 1024;

function classesIn(password: string): number {
  const tests = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];
  return tests.filter((test) => test.test(password)).length;
}

/** Why a new password is refused, in words for the form, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string, policy: PasswordPolicy): string | undefined {
  const length = [...password].length;
  if (length < policy.minimumLength) return `the password must have at least ${policy.minimumLength} characters`;
  if (length > MAXIMUM_LENGTH) return `the password must have at most ${MAXIMUM_LENGTH} characters`;
  if (policy.checkCommon && isCommonPassword(password)) return 'that password is too common; choose another';
  if (policy.checkContainsUsername && username.length > 0 && password.toLowerCase().includes(username.toLowerCase())) {
    return 'the password must not contain the user name';
  }
  if (classesIn(password) < policy.requiredClasses) {
    return `the password must mix at least ${policy.requiredClasses} of: lower-case letters, upper-case letters, digits, other characters`;
  }
  return undefined;
}

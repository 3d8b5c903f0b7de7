import assert from 'node:assert/strict';
import { BulwarkError, type ErrorCode } from '../../../src/errors/index.js';

/** Asserts a keystore refusal: the right code, the (redacted) URI named, no secret in the message. */
export async function assertRefused(promise: Promise<unknown>, code: ErrorCode, mentions: RegExp, secrets: string[] = []): Promise<BulwarkError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}, but the keystore loaded`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof BulwarkError, `expected a BulwarkError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, mentions);
  for (const secret of secrets) assert.ok(!error.message.includes(secret), `the message leaks a secret: ${error.message}`);
  return error;
}

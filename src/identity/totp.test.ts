import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Decode, base32Encode, hotp, matchTotpStep, totpCode } from './totp.js';

test('RFC 6238 SHA-1 vectors (last 6 of the 8 digits) and RFC 4226 HOTP vectors', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  const vectors: Array<[number, string]> = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
  ];
  for (const [seconds, eight] of vectors) assert.equal(totpCode(secret, new Date(seconds * 1000)), eight.slice(2));
  const hotpExpected = ['755224', '287082', '359152', '969429', '338314'];
  hotpExpected.forEach((code, counter) => assert.equal(hotp(Buffer.from('12345678901234567890'), counter), code));
  assert.deepEqual(base32Decode(secret), Buffer.from('12345678901234567890'));
});

test('a code matches its own step and one step either side, nothing further', () => {
  const secret = base32Encode(Buffer.from('abcdefghijabcdefghij'));
  const at = new Date(1_700_000_000_000);
  const code = totpCode(secret, at);
  assert.equal(matchTotpStep(secret, code, at), Math.floor(1_700_000_000 / 30));
  assert.notEqual(matchTotpStep(secret, code, new Date(at.getTime() + 30_000)), undefined);
  assert.equal(matchTotpStep(secret, code, new Date(at.getTime() + 90_000)), undefined);
  assert.equal(matchTotpStep(secret, 'abcdef', at), undefined);
});

// Our own QR encoder, checked by a real decoder (zbarimg from Debian's zbar-tools).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matrixToPng } from '../../../src/hub/auth/png-image.js';
import { encodeQr } from '../../../src/hub/auth/qr-code.js';
import { decodeQrPng } from './qr-decode.js';

test('every version 1–10 decodes back to the text', async () => {
  // Lengths that land in each version at level M (capacities 14, 26, 42, 62, 84, 106, 122, 152, 180, 213 bytes).
  // ASCII only: otpauth URIs are ASCII, and without an ECI header decoders guess the charset of other bytes.
  for (const length of [1, 14, 20, 40, 60, 80, 100, 120, 150, 178, 210]) {
    const text = Array.from({ length }, (_, i) => 'otpauth-QR:AZ/?&='[i % 17]).join('');
    assert.equal(await decodeQrPng(matrixToPng(encodeQr(text))), text, `length ${length}`);
  }
  assert.throws(() => encodeQr('x'.repeat(300)), /too long/);
});

// Code page 437 upper half: what Python's zipfile (and so pip) uses for names without the UTF-8 flag.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an entry name as installers do: UTF-8 when flag bit 11 is set, otherwise CP437.
 *
 * @example
 * ```ts
 * decodeEntryName(Buffer.from('a/b.py'), false); // { name: 'a/b.py', encoding: 'ascii', invalid: false }
 * ```
 */
export function decodeEntryName(bytes: Buffer, utf8Flag: boolean): { name: string; encoding: 'utf8' | 'cp437' | 'ascii'; invalid: boolean } {
  if (bytes.every((b) => b < 0x80)) return { name: bytes.toString('latin1'), encoding: 'ascii', invalid: false };
  if (utf8Flag) {
    try {
      return { name: utf8.decode(bytes), encoding: 'utf8', invalid: false };
    } catch {
      return { name: bytes.toString('utf8'), encoding: 'utf8', invalid: true };
    }
  }
  let name = '';
  for (const b of bytes) name += b < 0x80 ? String.fromCharCode(b) : (CP437_HIGH[b - 0x80] ?? '?');
  return { name, encoding: 'cp437', invalid: false };
}

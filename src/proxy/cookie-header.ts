/**
 * Removes the named cookies from a Cookie request header, keeping the others byte for byte. Returns
 * undefined when no cookie is left, so the caller can drop the header. Names compare exactly, as
 * cookie names are case-sensitive. The hub uses this so its own login cookie never reaches a user's
 * server, where code run by that user could read it.
 */
export function removeCookies(header: string | undefined, names: ReadonlySet<string>): string | undefined {
  if (header === undefined) return undefined;
  if (names.size === 0) return header === '' ? undefined : header;
  const kept = header.split(';').filter((pair) => {
    const trimmed = pair.trim();
    if (trimmed === '') return false;
    const eq = trimmed.indexOf('=');
    const name = (eq === -1 ? trimmed : trimmed.slice(0, eq)).trim();
    return !names.has(name);
  });
  return kept.length === 0 ? undefined : kept.map((pair) => pair.trim()).join('; ');
}

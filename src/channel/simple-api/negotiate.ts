/** The serializations of the Simple API this channel offers (PEP 691, version 1). */
export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
export const TEXT_HTML = 'text/html';

export type SimpleFormat = typeof SIMPLE_JSON | typeof SIMPLE_HTML | typeof TEXT_HTML;

/** Our offers in order of preference when the client weighs several equally: HTML is the default. */
const OFFERS: readonly SimpleFormat[] = [TEXT_HTML, SIMPLE_HTML, SIMPLE_JSON];

/** `latest` names whatever version is newest; PEP 691 says the answer names the real version. */
const ALIASES: Readonly<Record<string, SimpleFormat>> = {
  'application/vnd.pypi.simple.latest+json': SIMPLE_JSON,
  'application/vnd.pypi.simple.latest+html': SIMPLE_HTML,
};

interface AcceptRange {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function parseAccept(header: string): AcceptRange[] {
  const ranges: AcceptRange[] = [];
  header.split(',').forEach((part, order) => {
    const [mediaRange = '', ...params] = part.split(';').map((piece) => piece.trim());
    const slash = mediaRange.indexOf('/');
    if (slash <= 0) return;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*([0-9.]+)$/i.exec(param);
      if (match) q = Math.min(1, Math.max(0, Number(match[1])));
      if (Number.isNaN(q)) q = 0;
    }
    const full = mediaRange.toLowerCase();
    const resolved = ALIASES[full] ?? full;
    const cut = resolved.indexOf('/');
    ranges.push({ type: resolved.slice(0, cut), subtype: resolved.slice(cut + 1), q, order });
  });
  return ranges;
}

/** How closely a range names an offer: 3 exact, 2 `type/*`, 1 `*\/*`, 0 not at all. */
function specificity(range: AcceptRange, offer: string): number {
  const [type, subtype] = offer.split('/') as [string, string];
  if (range.type === type && range.subtype === subtype) return 3;
  if (range.type === type && range.subtype === '*') return 2;
  if (range.type === '*' && range.subtype === '*') return 1;
  return 0;
}

/**
 * Server-driven negotiation (RFC 9110 section 12.5.1): each offer takes the q of the most specific
 * range matching it; the best q wins, ties go to the client's order, then to our preference.
 * Returns undefined when nothing is acceptable (the caller answers 406). No header means HTML,
 * which is what PEP 691 asks for the sake of old clients.
 */
export function negotiateFormat(accept: string | undefined): SimpleFormat | undefined {
  if (accept === undefined || accept.trim() === '') return TEXT_HTML;
  const ranges = parseAccept(accept);
  let best: { offer: SimpleFormat; q: number; exact: boolean; order: number; rank: number } | undefined;
  OFFERS.forEach((offer, rank) => {
    let match: AcceptRange | undefined;
    let matchSpecificity = 0;
    for (const range of ranges) {
      const s = specificity(range, offer);
      if (s > matchSpecificity) {
        match = range;
        matchSpecificity = s;
      }
    }
    if (!match || match.q <= 0) return;
    const candidate = { offer, q: match.q, exact: matchSpecificity === 3, order: match.order, rank };
    if (
      !best ||
      candidate.q > best.q ||
      (candidate.q === best.q && candidate.exact && !best.exact) ||
      (candidate.q === best.q && candidate.exact === best.exact && candidate.order < best.order)
    ) {
      best = candidate;
    }
  });
  return best?.offer;
}

/** `?format=` (PEP 691's optional URL override) wins over Accept when present. */
export function formatFromQuery(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

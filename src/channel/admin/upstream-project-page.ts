import { BulwarkError } from '../../errors/index.js';

/** A file an upstream Simple API page offers. */
export interface UpstreamFile {
  filename: string;
  /** Absolute URL (resolved against the page). */
  url: string;
  sha256: string | null;
  uploadTime: string | null;
}

/** The smallest part of `fetch` the ingest uses, so tests and proxies can stand in. */
export type FetchLike = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[name] ?? '');
}

/** PEP 503 anchors: the hash is the URL fragment `#sha256=...`. */
function filesFromHtml(body: string, base: string): UpstreamFile[] {
  const files: UpstreamFile[] = [];
  for (const match of body.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>([^<]+)<\/a>/gi)) {
    const href = decodeEntities(match[1] ?? '');
    const url = new URL(href, base);
    const fragment = /(?:^|&)sha256=([0-9a-f]{64})/i.exec(url.hash.slice(1));
    url.hash = '';
    files.push({ filename: decodeEntities(match[2] ?? '').trim(), url: url.href, sha256: fragment?.[1]?.toLowerCase() ?? null, uploadTime: null });
  }
  return files;
}

function filesFromJson(body: string, base: string): UpstreamFile[] {
  const page = JSON.parse(body) as { files?: Array<{ filename?: unknown; url?: unknown; hashes?: { sha256?: unknown }; 'upload-time'?: unknown }> };
  return (page.files ?? []).flatMap((f) =>
    typeof f.filename === 'string' && typeof f.url === 'string'
      ? [{
          filename: f.filename,
          url: new URL(f.url, base).href,
          sha256: typeof f.hashes?.sha256 === 'string' ? f.hashes.sha256.toLowerCase() : null,
          uploadTime: typeof f['upload-time'] === 'string' ? f['upload-time'] : null,
        }]
      : [],
  );
}

/**
 * Reads one project's page of another Simple API index (PEP 691 JSON preferred, PEP 503 HTML
 * accepted). A missing project is an empty list; any other failure is an error.
 */
export async function fetchUpstreamProject(fetchFn: FetchLike, indexUrl: string, name: string): Promise<UpstreamFile[]> {
  const pageUrl = new URL(`${encodeURIComponent(name)}/`, indexUrl.endsWith('/') ? indexUrl : `${indexUrl}/`).href;
  let response: Response;
  try {
    response = await fetchFn(pageUrl, { headers: { accept: `${JSON_TYPE}, text/html;q=0.1` } });
  } catch (error) {
    throw new BulwarkError('CHANNEL_INGEST_UPSTREAM_FAILED', { url: pageUrl, reason: (error as Error).message });
  }
  if (response.status === 404) return [];
  if (!response.ok) throw new BulwarkError('CHANNEL_INGEST_UPSTREAM_FAILED', { url: pageUrl, reason: `HTTP ${response.status}` });
  const body = await response.text();
  const base = response.url || pageUrl;
  return (response.headers.get('content-type') ?? '').includes('json') ? filesFromJson(body, base) : filesFromHtml(body, base);
}

import { entityTag } from '../http-caching.js';

export interface CachedPage {
  body: string;
  etag: string;
}

/**
 * Rendered index pages, kept until the catalog's generation changes. Rendering a page costs
 * several database reads and string building; checking the generation is one indexed read, and
 * pip fetches the same few pages over and over. The lifetime only bounds memory held by pages
 * nobody asks for any more.
 */
export class IndexPageCache {
  private readonly pages = new Map<string, { page: CachedPage; generation: number; expires: number }>();

  constructor(
    private readonly generation: () => Promise<number>,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 5000,
  ) {}

  async get(key: string, contentType: string, render: () => Promise<string>): Promise<CachedPage> {
    const generation = await this.generation();
    const hit = this.pages.get(key);
    if (hit && hit.generation === generation && hit.expires > this.now()) return hit.page;
    const body = await render();
    const page = { body, etag: entityTag(body, contentType) };
    if (this.pages.size >= this.maxEntries) this.pages.clear();
    this.pages.set(key, { page, generation, expires: this.now() + this.lifetimeMs });
    return page;
  }
}

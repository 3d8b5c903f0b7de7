import type { Kysely } from 'kysely';
import type { Tables } from '../../storage/index.js';
import type { AdvisoryLookup } from '../advisories/advisory.js';
import { createSqlAdvisoryStore } from '../advisories/sql-advisory-store.js';
import { ReleaseStore } from './release-store.js';

/** What the release routes and commands read besides the catalog: releases and advisories. */
export interface ReleaseContext {
  releases: ReleaseStore;
  advisories: AdvisoryLookup;
}

/**
 * Wires the release store and the advisory lookup over one database.
 *
 * @example
 * ```ts
 * const { releases } = createReleaseContext(db);
 * ```
 */
export function createReleaseContext(db: Kysely<Tables>): ReleaseContext {
  return { releases: new ReleaseStore(db), advisories: createSqlAdvisoryStore(db) };
}

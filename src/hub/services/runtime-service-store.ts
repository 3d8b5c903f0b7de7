import { serviceSchema, type ServiceConfig } from '../../config/index.js';
import type { Database } from '../../storage/index.js';

/** A service added through the REST API, as stored (migration 007). */
export interface StoredService {
  config: ServiceConfig;
  tokenHash: string | null;
}

/**
 * Persistence of services added at runtime, so they come back after a restart. The API token is
 * kept only as its hash, like every other token of the hub.
 */
export interface RuntimeServiceStore {
  /** Stored services, and the names of rows that no longer validate (left alone, reported). */
  list(): Promise<{ services: StoredService[]; invalid: string[] }>;
  insert(service: StoredService, createdBy: string | null, at: string): Promise<void>;
  remove(name: string): Promise<void>;
}

export function createRuntimeServiceStore(database: Database): RuntimeServiceStore {
  const db = database.db;
  return {
    async list() {
      const rows = await db.selectFrom('hub_services').selectAll().orderBy('name').execute();
      const services: StoredService[] = [];
      const invalid: string[] = [];
      for (const row of rows) {
        let spec: unknown;
        try {
          spec = JSON.parse(row.spec);
        } catch {
          spec = undefined;
        }
        const parsed = serviceSchema.safeParse(spec);
        if (parsed.success && parsed.data.name === row.name) services.push({ config: parsed.data, tokenHash: row.token_hash });
        else invalid.push(row.name);
      }
      return { services, invalid };
    },
    async insert(service, createdBy, at) {
      const { api_token: _secret, ...spec } = service.config;
      await db
        .insertInto('hub_services')
        .values({ name: service.config.name, spec: JSON.stringify(spec), token_hash: service.tokenHash, created_at: at, created_by: createdBy })
        .execute();
    },
    async remove(name) {
      await db.deleteFrom('hub_services').where('name', '=', name).execute();
    },
  };
}

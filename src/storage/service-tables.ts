/**
 * Services added at runtime through POST /hub/api/services/{name} (migration 007). Services from
 * `services[]` in the config are not stored: the config is their source.
 */
export interface HubServicesTable {
  name: string;
  /** JSON of the service's settings, as `services[]` takes them, without its API token. */
  spec: string;
  /** sha256 of the API token (hashSecret), if the service was given one. */
  token_hash: string | null;
  created_at: string;
  created_by: string | null;
}

export interface ServiceTables {
  hub_services: HubServicesTable;
}

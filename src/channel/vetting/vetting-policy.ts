import { channelPolicySection } from '../../config/sections/channel-policy.js';
import type { BulwarkConfig } from '../../config/index.js';
import type { Severity } from './finding.js';

/** The resolved `channel.policy.*` keys that vetting reads, in the names the code uses. */
export interface VettingPolicy {
  allowSdist: boolean;
  blockAtCvss: number;
  unknownSeverity: 'block' | 'warn';
  licenseAllowlist: readonly string[];
  minimumAgeHours: number;
  dryRun: boolean;
  startupHookAllowlist: readonly string[];
  typosquatDistance: number;
  httpUrlSeverity: Severity;
  maxUncompressedSize: number;
  maxCompressionRatio: number;
  compressionRatioFloor: number;
  maxEntries: number;
}

/**
 * Translates the `channel.policy` section into a {@link VettingPolicy}.
 *
 * @example
 * ```ts
 * const policy = vettingPolicyFromConfig(config.channel.policy);
 * ```
 */
export function vettingPolicyFromConfig(section: BulwarkConfig['channel']['policy']): VettingPolicy {
  return {
    allowSdist: section.allow_sdist,
    blockAtCvss: section.block_at_cvss,
    unknownSeverity: section.unknown_severity,
    licenseAllowlist: section.license_allowlist,
    minimumAgeHours: section.minimum_age_hours,
    dryRun: section.dry_run,
    startupHookAllowlist: section.startup_hook_allowlist,
    typosquatDistance: section.typosquat_distance,
    httpUrlSeverity: section.http_url_severity,
    maxUncompressedSize: section.max_uncompressed_size,
    maxCompressionRatio: section.max_compression_ratio,
    compressionRatioFloor: section.compression_ratio_floor,
    maxEntries: section.max_entries,
  };
}

/**
 * The policy with every default of the config schema, optionally changed.
 *
 * @example
 * ```ts
 * const strict = defaultVettingPolicy({ blockAtCvss: 4 });
 * ```
 */
export function defaultVettingPolicy(overrides: Partial<VettingPolicy> = {}): VettingPolicy {
  return { ...vettingPolicyFromConfig(channelPolicySection.parse({})), ...overrides };
}

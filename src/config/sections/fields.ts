import { z } from 'zod';

/**
 * Field builders shared by the config sections. Each carries its description (for the generated
 * reference and the commented example) and whether it is a secret (for redaction).
 */
export interface FieldMeta {
  description: string;
  secret?: boolean;
  /** Shown in docs instead of the raw default where the default is computed at load time. */
  defaultNote?: string;
}

export function describe<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  return schema.meta(meta as unknown as Record<string, unknown>) as T;
}

export const seconds = (def: number, description: string) =>
  describe(z.number().positive().default(def), { description: `${description} (seconds)` });

export const httpUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), { message: 'expected an http:// or https:// URL' });

/** A URL path prefix such as `/` or `/jupyter/`: must start and end with a slash. */
export const urlPrefix = z
  .string()
  .regex(/^\/(?:[A-Za-z0-9._~-]+\/)*$/, 'expected a path that starts and ends with "/", e.g. "/" or "/jupyter/"');

export const stringList = z.array(z.string().min(1));

/**
 * One entry of the error catalog. `message` may contain `{name}` placeholders that are filled from
 * the params given when the error is raised.
 */
export interface ErrorDefinition {
  readonly status: number;
  readonly message: string;
  /** One sentence for docs/errors.md: when this happens and what to do. */
  readonly description: string;
}

/** Keeps the literal code names as keys while checking every entry's shape. */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(definitions: T): T {
  return definitions;
}

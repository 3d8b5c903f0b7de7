import { InvalidTag } from "./errors.js";

/**
 * One wheel compatibility tag (PEP 425): interpreter, ABI and platform,
 * lower-cased.
 *
 * @example
 * ```ts
 * const tag: Tag = { interpreter: "cp312", abi: "cp312", platform: "manylinux_2_17_x86_64" };
 * ```
 */
export interface Tag {
  readonly interpreter: string;
  readonly abi: string;
  readonly platform: string;
}

/**
 * The `interpreter-abi-platform` spelling of a tag.
 *
 * @example
 * ```ts
 * tagToString({ interpreter: "py3", abi: "none", platform: "any" }); // "py3-none-any"
 * ```
 */
export function tagToString(tag: Tag): string {
  return `${tag.interpreter}-${tag.abi}-${tag.platform}`;
}

/**
 * Expands a possibly compressed tag set (`py2.py3-none-any`) into its tags,
 * in the order written. Throws `InvalidTag` for a wrong number of parts, an
 * empty component, or an interpreter that is not an identifier. With
 * `validateOrder`, each compressed component must be sorted (PEP 425).
 *
 * @example
 * ```ts
 * parseTag("py2.py3-none-any").map(tagToString); // ["py2-none-any", "py3-none-any"]
 * ```
 */
export function parseTag(text: string, options: { validateOrder?: boolean } = {}): Tag[] {
  const components = text.split("-").map((part) => part.split("."));
  for (const list of components) {
    if (list.includes("")) throw new InvalidTag(`Tag '${text}' has an empty component: '${list.join(".")}'`, text);
    if (options.validateOrder === true && list.some((c, i) => i > 0 && (list[i - 1] as string) > c)) {
      throw new InvalidTag(`Tag component '${list.join(".")}' is not in sorted order per PEP 425`, text);
    }
  }
  if (components.length !== 3) throw new InvalidTag(`Tag '${text}' must have exactly three components`, text);
  const [interpreters, abis, platforms] = components as [string[], string[], string[]];
  for (const interpreter of interpreters) {
    if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(interpreter)) {
      throw new InvalidTag(`Tag '${text}' has an invalid interpreter: '${interpreter}'`, text);
    }
  }
  const seen = new Set<string>();
  const tags: Tag[] = [];
  for (const interpreter of interpreters) {
    for (const abi of abis) {
      for (const platform of platforms) {
        const tag = { interpreter: interpreter.toLowerCase(), abi: abi.toLowerCase(), platform: platform.toLowerCase() };
        const key = tagToString(tag);
        if (!seen.has(key)) {
          seen.add(key);
          tags.push(tag);
        }
      }
    }
  }
  return tags;
}

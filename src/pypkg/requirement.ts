import { InvalidRequirement, InvalidSpecifier } from "./errors.js";
import { Marker, parseMarkerExpression } from "./marker.js";
import { SpecifierSet } from "./specifier-set.js";
import { ParserSyntaxError, Tokenizer } from "./tokenizer.js";

/**
 * A parsed PEP 508 dependency specifier. `name` and `extras` keep their
 * spelling; `url` is `null` unless `name @ url` was used.
 *
 * @example
 * ```ts
 * const r: Requirement = parseRequirement('requests[socks]>=2.31; python_version >= "3.8"');
 * r.extras; // ["socks"]
 * ```
 */
export interface Requirement {
  name: string;
  extras: string[];
  specifier: SpecifierSet;
  url: string | null;
  marker: Marker | null;
}

function parseExtras(t: Tokenizer): string[] {
  if (!t.check("LEFT_BRACKET", true)) return [];
  return t.enclosing("LEFT_BRACKET", "RIGHT_BRACKET", "extras", () => {
    t.consume("WS");
    const extras: string[] = [];
    if (t.check("IDENTIFIER")) {
      extras.push(t.read().text);
      for (;;) {
        t.consume("WS");
        if (t.check("IDENTIFIER", true)) t.raise("Expected comma between extra names");
        if (!t.check("COMMA")) break;
        t.read();
        t.consume("WS");
        extras.push(t.expect("IDENTIFIER", "extra name after comma").text);
      }
    }
    t.consume("WS");
    return extras;
  });
}

function parseVersionMany(t: Tokenizer): string {
  let text = "";
  while (t.check("SPECIFIER")) {
    const start = t.position;
    const spec = t.read().text;
    text += spec;
    if (t.check("VERSION_PREFIX_TRAIL", true)) {
      const equality = spec.startsWith("!=") || (spec.startsWith("==") && !spec.startsWith("==="));
      t.raise(
        equality
          ? ".* suffix cannot be used with pre-release, post-release, dev or local versions"
          : ".* suffix can only be used with `==` or `!=` operators",
        start,
        t.position + 1,
      );
    }
    if (t.check("VERSION_LOCAL_LABEL_TRAIL", true)) {
      t.raise("Local version label can only be used with `==` or `!=` operators", start, t.position);
    }
    t.consume("WS");
    if (!t.check("COMMA")) break;
    text += t.read().text;
    t.consume("WS");
  }
  return text;
}

function parseMarkerAfter(t: Tokenizer, start: number, expected: string): Marker {
  if (!t.check("SEMICOLON")) t.raise(`Expected ${expected} or end`, start);
  t.read();
  const tree = parseMarkerExpression(t);
  t.consume("WS");
  return new Marker(tree);
}

function parse(t: Tokenizer): { name: string; extras: string[]; url: string; specifier: string; marker: Marker | null } {
  t.consume("WS");
  const name = t.expect("IDENTIFIER", "package name at the start of dependency specifier").text;
  t.consume("WS");
  const extras = parseExtras(t);
  t.consume("WS");
  let url = "";
  let specifier = "";
  let marker: Marker | null = null;
  if (t.check("AT")) {
    t.read();
    t.consume("WS");
    const urlStart = t.position;
    url = t.expect("URL", "URL after @").text;
    if (!t.check("END", true)) {
      t.expect("WS", "whitespace after URL");
      if (!t.check("END", true)) marker = parseMarkerAfter(t, urlStart, "semicolon (after URL and whitespace)");
    }
  } else {
    const specStart = t.position;
    specifier = t.enclosing("LEFT_PARENTHESIS", "RIGHT_PARENTHESIS", "version specifier", () => {
      t.consume("WS");
      const text = parseVersionMany(t);
      t.consume("WS");
      return text;
    });
    t.consume("WS");
    if (!t.check("END", true)) {
      marker = parseMarkerAfter(
        t,
        specStart,
        specifier === ""
          ? "semicolon (after name with no version specifier)"
          : "comma (within version specifier), semicolon (after version specifier)",
      );
    }
  }
  t.expect("END", "end of dependency specifier");
  return { name, extras, url, specifier, marker };
}

/**
 * Parses a PEP 508 dependency specifier (name, extras, version specifier or
 * URL, marker). Throws `InvalidRequirement` with packaging's message and a
 * caret line pointing at the problem.
 *
 * @example
 * ```ts
 * const r = parseRequirement("name [fred,bar] @ http://foo.com ; python_version=='2.7'");
 * r.url; // "http://foo.com"
 * r.marker?.toString(); // 'python_version == "2.7"'
 * ```
 */
export function parseRequirement(text: string): Requirement {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(new Tokenizer(text));
  } catch (error) {
    if (error instanceof ParserSyntaxError) throw new InvalidRequirement(error.message, text);
    throw error;
  }
  let specifier: SpecifierSet;
  try {
    specifier = new SpecifierSet(parsed.specifier);
  } catch (error) {
    if (error instanceof InvalidSpecifier) throw new InvalidRequirement(error.message, text);
    throw error;
  }
  return {
    name: parsed.name,
    extras: [...new Set(parsed.extras)],
    specifier,
    url: parsed.url === "" ? null : parsed.url,
    marker: parsed.marker,
  };
}

/**
 * The canonical spelling of a requirement, as packaging's `str(Requirement)`:
 * sorted extras, canonical specifier set, `@ url`, `; marker`.
 *
 * @example
 * ```ts
 * formatRequirement(parseRequirement("Foo [b, a] >= 1.0 , < 2 ; os_name == 'nt'"));
 * // 'Foo[a,b]<2,>=1.0; os_name == "nt"'
 * ```
 */
export function formatRequirement(r: Requirement): string {
  let out = r.name;
  if (r.extras.length > 0) out += `[${[...r.extras].sort().join(",")}]`;
  const spec = r.specifier.toString();
  if (spec !== "") out += spec;
  if (r.url !== null) out += ` @ ${r.url}${r.marker !== null ? " " : ""}`;
  if (r.marker !== null) out += `; ${r.marker.toString()}`;
  return out;
}

// Text rewriting of a plugin UI module before it is imported from a blob URL (reference §10.2). Bundles keep
// `react`, `react-dom`, the JSX runtime and the SDK's UI subpaths external; the board swaps those specifiers
// for shim modules that re-export its own copies from the bridge global. Relative specifiers (code-split
// chunks, assets) would not resolve against a blob URL, so they are replaced too: by the URL the loader gives
// (a rewritten chunk) or by the absolute `/_plugins/<id>/ui/...` URL. `import.meta.url` becomes the module's
// real URL so `new URL("./asset.png", import.meta.url)` keeps working.

/** Specifiers served by the board from the bridge global. */
export const SHARED_SPECIFIERS = [
  "react",
  "react-dom",
  "react-dom/client",
  "react/jsx-runtime",
  "react/jsx-dev-runtime",
  "@paperclipai/plugin-sdk/ui",
  "@paperclipai/plugin-sdk/ui/hooks",
  "@paperclipai/plugin-sdk/ui/types",
] as const;
export type SharedSpecifier = (typeof SHARED_SPECIFIERS)[number];

const SHARED: ReadonlySet<string> = new Set(SHARED_SPECIFIERS);

export function isSharedSpecifier(specifier: string): specifier is SharedSpecifier {
  return SHARED.has(specifier);
}

/** `./x`, `../x` or `/x`: resolved against the module's own URL. */
export function isRelativeSpecifier(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/");
}

// `from "x"` (imports and re-exports, minified or not), bare `import "x"`, and `import("x")` with a literal.
const STATIC_RE = /(\bfrom\s*|\bimport\s*)(["'])([^"'\r\n]+)\2/g;
const DYNAMIC_RE = /(\bimport\s*\(\s*)(["'])([^"'\r\n]+)\2(\s*[,)])/g;
const IMPORT_META_URL_RE = /\bimport\.meta\.url\b/g;

/** The specifiers of static imports and re-exports, in order, without repeats. */
export function collectStaticSpecifiers(source: string): string[] {
  return [...new Set(Array.from(source.matchAll(STATIC_RE), (match) => match[3]!))];
}

/** Every specifier the module imports statically or by a literal dynamic import, in order, without repeats. */
export function collectSpecifiers(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(STATIC_RE)) found.add(match[3]!);
  for (const match of source.matchAll(DYNAMIC_RE)) found.add(match[3]!);
  return [...found];
}

export interface RewriteOptions {
  /** The module's own absolute URL (relative specifiers and `import.meta.url` resolve against it). */
  moduleUrl: string;
  /** Blob URL of the shim of each shared specifier. */
  shims: Partial<Record<SharedSpecifier, string>>;
  /** Replacement for a relative import, given its absolute URL; default: the absolute URL itself. */
  resolveRelative?: (absoluteUrl: string) => string;
  /**
   * An expression replacing a whole relative `import("…")` (a code-split chunk loaded later), given its absolute
   * URL; null or absent: the specifier is replaced as for static imports.
   */
  dynamicImport?: (absoluteUrl: string) => string | null;
}

/** The module text with shared and relative specifiers replaced; other specifiers are left alone. */
export function rewriteModuleSource(source: string, options: RewriteOptions): string {
  const replace = (specifier: string): string | null => {
    if (isSharedSpecifier(specifier)) return options.shims[specifier] ?? null;
    if (isRelativeSpecifier(specifier)) {
      const absolute = new URL(specifier, options.moduleUrl).href;
      return options.resolveRelative ? options.resolveRelative(absolute) : absolute;
    }
    return null;
  };
  return source
    .replace(STATIC_RE, (whole, lead: string, quote: string, specifier: string) => {
      const next = replace(specifier);
      return next === null ? whole : `${lead}${quote}${next}${quote}`;
    })
    .replace(DYNAMIC_RE, (whole, lead: string, quote: string, specifier: string, tail: string) => {
      if (options.dynamicImport && tail.trim() === ")" && isRelativeSpecifier(specifier)) {
        const expression = options.dynamicImport(new URL(specifier, options.moduleUrl).href);
        if (expression !== null) return expression;
      }
      const next = replace(specifier);
      return next === null ? whole : `${lead}${quote}${next}${quote}${tail}`;
    })
    .replace(IMPORT_META_URL_RE, JSON.stringify(options.moduleUrl));
}

/** JS identifiers that can be exported as `export const <name>` (reserved words and `default` excluded). */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with yield let static implements interface package private protected public await arguments eval"
  ).split(" "),
);
const IDENTIFIER_RE = /^[A-Za-z_$][\w$]*$/;

export function isExportableName(name: string): boolean {
  return IDENTIFIER_RE.test(name) && !RESERVED.has(name);
}

/**
 * Source of a shim module re-exporting `names` from `globalThis.__paperclipPluginBridge__[field]`, with the
 * object itself as the default export. A missing bridge fails at import with a clear message.
 */
export function createShimSource(field: string, names: Iterable<string>, label: string): string {
  const lines = [
    `const bridge = globalThis.__paperclipPluginBridge__;`,
    `if (!bridge || bridge[${JSON.stringify(field)}] == null) throw new Error(${JSON.stringify(
      `Paperclip plugin ${label} runtime is not initialized.`,
    )});`,
    `const M = bridge[${JSON.stringify(field)}];`,
    `export default M;`,
  ];
  for (const name of [...new Set(names)].filter(isExportableName).sort()) {
    lines.push(`export const ${name} = M[${JSON.stringify(name)}];`);
  }
  return `${lines.join("\n")}\n`;
}

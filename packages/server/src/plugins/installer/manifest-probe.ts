/**
 * The script that evaluates a manifest module in a short-lived child process, so plugin code never
 * runs inside the host (the original `import()`ed it in the server process).
 *
 * It is passed to `node --input-type=module -e` as a string (not a file of ours) so it works both
 * from the built dist/ and from sources under a test runner. Arguments: the manifest file URL and
 * a one-off marker. It imports the module, takes `default ?? module`, checks the value is plain
 * JSON data (naming the first offending path), and prints `<marker><json>` as its last line; the
 * marker keeps whatever the module itself prints on stdout from being mistaken for the result.
 *
 * Result line: {"ok":true,"manifest":…} or {"ok":false,"kind":"threw"|"no_export"|"not_serialisable","message":…}
 */
export const MANIFEST_PROBE_SCRIPT = String.raw`
const [manifestUrl, marker] = process.argv.slice(1);
const finish = (result) => {
  process.stdout.write("\n" + marker + JSON.stringify(result) + "\n", () => process.exit(0));
};
const describe = (value) => {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return "a bigint (" + value + "n)";
  if (typeof value === "symbol") return "a symbol";
  if (typeof value === "number") return String(value);
  const name = value && value.constructor && value.constructor.name;
  return name ? "an instance of " + name : "a non-plain object";
};
// Returns the path and a description of the first value JSON cannot carry faithfully, or null.
const findNonJson = (value, path, seen) => {
  if (value === null || typeof value === "string" || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : { path, what: describe(value) };
  if (typeof value !== "object") return { path, what: describe(value) };
  if (seen.has(value)) return { path, what: "a circular reference" };
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const found = findNonJson(value[index], path + "[" + index + "]", seen);
        if (found) return found;
      }
      return null;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return { path, what: describe(value) };
    for (const key of Object.keys(value)) {
      // An undefined property is simply absent in JSON, as optional fields often are.
      if (value[key] === undefined) continue;
      const found = findNonJson(value[key], path + "." + key, seen);
      if (found) return found;
    }
    return null;
  } finally {
    seen.delete(value);
  }
};
let mod;
try {
  mod = await import(manifestUrl);
} catch (error) {
  const message = error instanceof Error ? (error.name && error.name !== "Error" ? error.name + ": " : "") + error.message : String(error);
  finish({ ok: false, kind: "threw", message });
}
if (mod !== undefined) {
  const manifest = mod.default ?? mod;
  if (manifest === undefined || manifest === null) {
    finish({ ok: false, kind: "no_export", message: "the module has no default export" });
  } else {
    // A namespace object (no default export) is data too: copy its own enumerable exports.
    const value = Object.prototype.toString.call(manifest) === "[object Module]" ? { ...manifest } : manifest;
    const problem = findNonJson(value, "manifest", new Set());
    if (problem) {
      finish({ ok: false, kind: "not_serialisable", message: problem.path + " is " + problem.what });
    } else {
      finish({ ok: true, manifest: value });
    }
  }
}
`;

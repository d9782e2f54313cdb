// `npm run docs:ctx`: writes docs/authoring/ctx.md, the reference of every `ctx` member a plugin worker gets,
// from the SDK's own types (packages/plugin-sdk/src/types) with the TypeScript compiler API: each namespace, each
// member's signature and doc comment, and the capability its host call needs. `--check` fails when the committed
// file is out of date instead of writing it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const typesDir = path.join(root, "packages/plugin-sdk/src/types");
const capabilityMapFile = path.join(root, "packages/plugin-sdk/src/host-client/capability-map.ts");
const target = path.join(root, "docs/authoring/ctx.md");

const program = ts.createProgram([path.join(typesDir, "index.ts"), capabilityMapFile], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
});
const checker = program.getTypeChecker();

/** "state.get" → "plugin.state.read", read from the METHOD_CAPABILITY_MAP object literal. */
function readCapabilityMap() {
  const map = new Map();
  const visit = (node) => {
    if (ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name)) {
      const value = node.initializer;
      map.set(node.name.text, ts.isStringLiteral(value) ? value.text : null);
    }
    ts.forEachChild(node, visit);
  };
  visit(program.getSourceFile(capabilityMapFile));
  return map;
}
const capabilities = readCapabilityMap();

function docOf(symbol) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const tags = symbol
    .getJsDocTags(checker)
    .map((tag) => `@${tag.name}${tag.text ? ` ${ts.displayPartsToString(tag.text)}` : ""}`);
  return [text, ...tags].filter(Boolean).join("\n\n");
}

/** The declaration's source without its JSDoc, on one line per original line, trailing `;` removed. */
function signatureOf(declaration) {
  const source = declaration.getSourceFile().text;
  return source
    .slice(declaration.getStart(declaration.getSourceFile(), false), declaration.end)
    .replace(/;\s*$/, "")
    .split("\n")
    .map((line) => line.replace(/^\s{2,}/, "  "))
    .join("\n");
}

/**
 * The SDK interface a property's type names (PluginEventsClient, …), when it is a client: any interface the SDK
 * declares except the manifest, which is data.
 */
function sdkInterfaceOf(declaration) {
  const type = checker.getTypeAtLocation(declaration);
  const symbol = type.aliasSymbol ?? type.getSymbol();
  const decl = symbol?.declarations?.[0];
  if (!decl || !ts.isInterfaceDeclaration(decl)) return null;
  if (!decl.getSourceFile().fileName.startsWith(path.dirname(typesDir))) return null;
  if (decl.name.text === "PaperclipPluginManifestV1") return null;
  return { symbol, declaration: decl };
}

function membersOf(interfaceDeclaration) {
  const type = checker.getTypeAtLocation(interfaceDeclaration);
  return checker.getPropertiesOfType(type).filter((member) => member.declarations?.length);
}

const escapeCell = (text) => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** One namespace (or nested client) as markdown, recursing into nested SDK clients such as issues.documents. */
function renderNamespace(prefix, symbol, iface, depth, lines, index) {
  const heading = "#".repeat(Math.min(depth + 2, 5));
  lines.push(`${heading} \`ctx.${prefix}\``, "");
  index.push(`${"  ".repeat(depth - 1)}- [\`ctx.${prefix}\`](#${anchor(`ctx.${prefix}`)})`);
  const own = docOf(symbol);
  const typeDoc = docOf(iface.symbol);
  lines.push(
    `Type \`${iface.symbol.getName()}\`.${own ? ` ${own}` : ""}${typeDoc ? `\n\n${typeDoc}` : ""}`,
    "",
  );
  const nested = [];
  for (const member of membersOf(iface.declaration)) {
    const declaration = member.declarations[0];
    const inner = ts.isPropertySignature(declaration) ? sdkInterfaceOf(declaration) : null;
    if (inner && /Client$/.test(inner.symbol.getName()) && depth < 3) {
      nested.push([member, inner]);
      continue;
    }
    const method = `${prefix}.${member.getName()}`;
    const capability = capabilities.has(method)
      ? capabilities.get(method) === null
        ? "no capability needed"
        : `needs \`${capabilities.get(method)}\``
      : null;
    lines.push(`- \`ctx.${method}\`${capability ? ` — ${capability}` : ""}`, "");
    lines.push(
      "  ```ts",
      ...signatureOf(declaration)
        .split("\n")
        .map((line) => `  ${line}`),
      "  ```",
      "",
    );
    const doc = docOf(member);
    if (doc) lines.push(...doc.split("\n").map((line) => (line ? `  ${line}` : "")), "");
  }
  for (const [member, inner] of nested) {
    renderNamespace(`${prefix}.${member.getName()}`, member, inner, depth + 1, lines, index);
  }
}

function anchor(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}

function render() {
  const contextFile = program.getSourceFile(path.join(typesDir, "context.ts"));
  const contextDeclaration = contextFile.statements.find(
    (statement) => ts.isInterfaceDeclaration(statement) && statement.name.text === "PluginContext",
  );
  const lines = [];
  const index = [];
  const summary = [];
  for (const member of membersOf(contextDeclaration)) {
    const declaration = member.declarations[0];
    const iface = sdkInterfaceOf(declaration);
    const typeName = checker.typeToString(checker.getTypeAtLocation(declaration));
    const about = docOf(member) || (iface ? docOf(iface.symbol).split("\n")[0] : "");
    const name = iface
      ? `[\`ctx.${member.getName()}\`](#${anchor(`ctx.${member.getName()}`)})`
      : `\`ctx.${member.getName()}\``;
    summary.push(`| ${name} | \`${escapeCell(typeName)}\` | ${escapeCell(about)} |`);
    if (iface) renderNamespace(member.getName(), member, iface, 1, lines, index);
  }
  return [
    "# `ctx` reference",
    "",
    "<!-- Generated by scripts/gen-ctx-docs.mjs from packages/plugin-sdk/src/types — run `npm run docs:ctx`; do not edit by hand. -->",
    "",
    "`setup(ctx)` receives a `PluginContext`: one client per namespace. Every call that reaches the host is checked",
    "against the capabilities the operator approved; the capability each method needs is shown next to it (methods",
    "answered inside the worker, such as registrations, need the capability of what they register). A missing",
    "capability fails the call with `CAPABILITY_DENIED`, and the test harness fails it the same way.",
    "",
    "| member | type | about |",
    "|---|---|---|",
    ...summary,
    "",
    "## Namespaces",
    "",
    ...index,
    "",
    ...lines,
  ]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()
    .concat("\n");
}

const text = render();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== text) {
    console.error(`${path.relative(root, target)} is out of date: run npm run docs:ctx`);
    process.exit(1);
  }
  console.log(`${path.relative(root, target)} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`Wrote ${path.relative(root, target)} (${text.split("\n").length} lines)`);
}

// The generated project's package.json and tsconfig.json, and the template files with their placeholders filled.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ResolvedScaffoldOptions, TemplateName } from "./options.js";

/**
 * Exact versions that exist on npm and run on Node 20.19+; the same ones this repository uses, so the
 * generated project builds the way the SDK was tested.
 */
export const DEV_DEPENDENCIES: Record<string, string> = {
  "@types/node": "20.19.43",
  esbuild: "0.28.2",
  typescript: "5.9.3",
  vitest: "4.1.12",
};
const UI_DEV_DEPENDENCIES: Record<string, string> = {
  "@types/react": "19.3.3",
  "@types/react-dom": "19.3.0",
};

const hasUi = (template: TemplateName) => template === "ui";

export function packageJson(options: ResolvedScaffoldOptions, sdkSpec: string): string {
  const ui = hasUi(options.template);
  const manifest = {
    name: options.name,
    version: "0.1.0",
    description: options.description,
    author: options.author,
    type: "module",
    keywords: ["paperclip", "paperclip-plugin"],
    engines: { node: ">=20.19" },
    files: ["dist"],
    scripts: {
      build: "node esbuild.config.mjs",
      // `paperclip plugin dev` installs this folder on a running host and reloads it on every change.
      dev: "paperclip plugin dev .",
      test: "vitest run",
      typecheck: "tsc --noEmit",
    },
    paperclipPlugin: {
      manifest: "./dist/manifest.js",
      worker: "./dist/worker.js",
      ...(ui ? { ui: "./dist/ui/" } : {}),
    },
    // A build-time dependency only: the worker bundle carries the SDK, the manifest imports only its types, and
    // the board provides the UI modules. So a packed or published plugin has no dependency to resolve.
    devDependencies: Object.fromEntries(
      Object.entries({
        "@paperclipai/plugin-sdk": sdkSpec,
        ...DEV_DEPENDENCIES,
        ...(ui ? UI_DEV_DEPENDENCIES : {}),
      }).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Type-checking only: esbuild builds. One config covers the worker (Node) and, for the UI template, React. */
export function tsconfigJson(template: TemplateName): string {
  const ui = hasUi(template);
  const config = {
    compilerOptions: {
      target: "ES2022",
      lib: ui ? ["ES2023", "DOM", "DOM.Iterable"] : ["ES2023"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      ...(ui ? { jsx: "react-jsx" } : {}),
      strict: true,
      noEmit: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      skipLibCheck: true,
      types: ["node"],
    },
    include: ["src", "tests", "vitest.config.ts"],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** `{{key}}` → the raw value; `{{json:key}}` → the value as a JSON string literal (safe inside code). */
export function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(json:)?([a-zA-Z]+)\}\}/g, (match, json: string | undefined, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new Error(`template placeholder ${match} has no value`);
    return json ? JSON.stringify(value) : value;
  });
}

/** Files of a template folder as [path in the project, contents]; `.tmpl` suffixes dropped, `gitignore` dotted. */
export async function readTemplate(dir: string): Promise<Array<[string, string]>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry): Promise<[string, string]> => {
      const absolute = path.join(entry.parentPath, entry.name);
      // npm drops .gitignore files from published packages, so the template stores it without the dot.
      const relative = path
        .relative(dir, absolute)
        .replace(/\.tmpl$/, "")
        .replace(/^gitignore$/, ".gitignore");
      return [relative, await readFile(absolute, "utf8")];
    }),
  );
}

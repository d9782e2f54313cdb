import { mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { manifestIdFor, routePathFor, ScaffoldError } from "./naming.js";
import {
  type ResolvedScaffoldOptions,
  resolveOptions,
  type ScaffoldOptions,
  type TemplateName,
} from "./options.js";
import { fill, packageJson, readTemplate, tsconfigJson } from "./project-files.js";
import { PACKED_SDK_DIR, prepareSdkDependency, SCAFFOLDER_DIR } from "./sdk-source.js";

export interface ScaffoldResult {
  projectDir: string;
  packageName: string;
  /** The manifest id (the plugin key on a host). */
  pluginId: string;
  template: TemplateName;
  /** Every file written, relative to the project, sorted. */
  files: string[];
  /** The `@paperclipai/plugin-sdk` spec in package.json, and where it points. */
  sdk: { spec: string; source: string };
}

const TEMPLATES_DIR = path.join(SCAFFOLDER_DIR, "templates");

const FEATURES: Record<TemplateName, string> = {
  default:
    "- `issue.created` events counted in plugin state, with an activity entry per issue\n" +
    "- a data handler (`overview`) and an action (`ping`) the board's UI can call\n" +
    "- an agent tool (`word-count`)",
  connector:
    "- a webhook endpoint (`events`) that checks an HMAC-SHA256 signature (`x-signature` header) with a secret\n" +
    "  from the config (`signingSecretRef`, a secret reference)\n" +
    "- a `sync` job every 15 minutes that processes what the webhook queued and moves a cursor in plugin state\n" +
    "- a data handler (`sync-status`) with the cursor and the queue length",
  ui:
    "- a page (`/<company>/{{routePath}}`), a dashboard widget and an issue tab, written in React with the\n" +
    "  `@paperclipai/plugin-sdk/ui` hooks and bundled by esbuild to `dist/ui/`\n" +
    "- a worker that keeps notes per issue in plugin state (`issue-notes` data, `add-note` action)",
};

async function refuseExisting(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => null);
  if (!info) return false;
  if (!info.isDirectory()) {
    throw new ScaffoldError(`${dir} exists and is a file: choose another --output`);
  }
  if ((await readdir(dir)).length > 0) {
    throw new ScaffoldError(
      `${dir} already exists and is not empty: choose another --output, or empty it first`,
    );
  }
  return true;
}

async function writeProject(options: ResolvedScaffoldOptions, files: Map<string, string>): Promise<void> {
  for (const [relative, contents] of files) {
    const target = path.join(options.outputDir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, contents);
  }
}

/**
 * Creates a plugin project. Throws ScaffoldError (nothing left behind) for a bad name, template or category,
 * or a folder that already has files.
 */
export async function scaffoldPlugin(input: ScaffoldOptions, cwd = process.cwd()): Promise<ScaffoldResult> {
  const options = resolveOptions(input, cwd);
  const existed = await refuseExisting(options.outputDir);
  const pluginId = manifestIdFor(options.name);
  try {
    await mkdir(options.outputDir, { recursive: true });
    const sdk = await prepareSdkDependency(options.outputDir, options.sdkPath);
    const vars: Record<string, string> = {
      packageName: options.name,
      pluginId,
      displayName: options.displayName,
      description: options.description,
      author: options.author,
      category: options.category,
      routePath: routePathFor(pluginId),
      template: options.template,
      presetInput: options.template === "ui" ? '{ uiEntry: "src/ui/index.tsx" }' : "",
      features: fill(FEATURES[options.template], { routePath: routePathFor(pluginId) }),
      sdkSource: sdk.spec.startsWith(`file:${PACKED_SDK_DIR}/`)
        ? `The SDK comes from \`${sdk.spec.slice(5)}\`, a packed copy: keep that folder with the project.`
        : `The SDK dependency is \`${sdk.spec}\`.`,
    };
    const files = new Map<string, string>();
    for (const folder of ["common", options.template]) {
      for (const [relative, text] of await readTemplate(path.join(TEMPLATES_DIR, folder))) {
        files.set(relative, fill(text, vars));
      }
    }
    files.set("package.json", packageJson(options, sdk.spec));
    files.set("tsconfig.json", tsconfigJson(options.template));
    await writeProject(options, files);
    const written = [...files.keys()];
    if (sdk.spec.startsWith(`file:${PACKED_SDK_DIR}/`)) written.push(sdk.spec.slice(5));
    return {
      projectDir: options.outputDir,
      packageName: options.name,
      pluginId,
      template: options.template,
      files: written.map((file) => file.split(path.sep).join("/")).sort(),
      sdk,
    };
  } catch (error) {
    // Leave nothing half-made: an empty folder the author made stays, one we made goes.
    if (existed) {
      for (const entry of await readdir(options.outputDir)) {
        await rm(path.join(options.outputDir, entry), { recursive: true, force: true });
      }
    } else {
      await rm(options.outputDir, { recursive: true, force: true });
    }
    throw error;
  }
}

/**
 * Finds a package's manifest module and evaluates it in a short-lived child process with a clean
 * environment and a timeout, returning the manifest as plain JSON data. The host never imports
 * plugin code itself.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ManifestLoadError } from "./errors.js";
import { MANIFEST_PROBE_SCRIPT } from "./manifest-probe.js";
import { isInsidePackage } from "./paths.js";

/** The fields of a plugin's package.json the host reads. */
export interface PluginPackageJson {
  name?: string;
  version?: string;
  paperclipPlugin?: { manifest?: string; worker?: string; ui?: string };
  [key: string]: unknown;
}

export interface LoadedPluginManifest {
  /** The manifest as plain data; validate it with validatePluginPackage before trusting it. */
  manifest: unknown;
  manifestPath: string;
  packageDir: string;
  packageJson: PluginPackageJson;
}

export interface ReadPluginManifestOptions {
  /** Kill the evaluating process after this many ms (default 10 000). */
  timeoutMs?: number;
  /** node executable (default: the one running the host). */
  nodeBin?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** The probe's heap limit, in MB: a manifest is a small object, not a reason to use the host's memory. */
const PROBE_HEAP_MB = 256;
const MAX_PROBE_OUTPUT_CHARS = 8 * 1024 * 1024;
const STDERR_TAIL_LINES = 15;

export async function readPluginManifest(
  packageDir: string,
  options: ReadPluginManifestOptions = {},
): Promise<LoadedPluginManifest> {
  const root = path.resolve(packageDir);
  const packageJson = await readPackageJson(root);
  const manifestPath = await resolveManifestPath(root, packageJson);
  const manifest = await evaluateManifest(manifestPath, packageJson.name ?? root, options);
  return { manifest, manifestPath, packageDir: root, packageJson };
}

/** Reads and parses `<packageDir>/package.json`. */
export async function readPackageJson(packageDir: string): Promise<PluginPackageJson> {
  const file = path.join(packageDir, "package.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new ManifestLoadError(
      "no_package_json",
      `${packageDir} has no package.json, so it is not a package`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ManifestLoadError(
      "invalid_package_json",
      `${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ManifestLoadError("invalid_package_json", `${file} must hold a JSON object`);
  }
  return parsed as PluginPackageJson;
}

/**
 * The manifest file, in the original's order: package.json `paperclipPlugin.manifest`, then
 * `dist/manifest.js`, then `manifest.js`. The error lists every path tried.
 */
export async function resolveManifestPath(
  packageDir: string,
  packageJson: PluginPackageJson,
): Promise<string> {
  const candidates: string[] = [];
  const declared = packageJson.paperclipPlugin?.manifest;
  if (typeof declared === "string" && declared.trim() !== "") {
    const resolved = path.resolve(packageDir, declared);
    if (!(await isInsidePackage(packageDir, resolved))) {
      throw new ManifestLoadError(
        "manifest_outside_package",
        `package.json paperclipPlugin.manifest "${declared}" of ${describePackage(packageJson, packageDir)} ` +
          "points outside the package folder",
      );
    }
    candidates.push(resolved);
  }
  candidates.push(path.join(packageDir, "dist", "manifest.js"), path.join(packageDir, "manifest.js"));
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return candidate;
  }
  throw new ManifestLoadError(
    "no_manifest",
    `${describePackage(packageJson, packageDir)} does not appear to be a Paperclip plugin: no manifest at ` +
      `${candidates.join(", ")} (set package.json "paperclipPlugin.manifest" to the built manifest module)`,
    candidates,
  );
}

/** Runs the probe script on one manifest module; resolves with the manifest data. */
function evaluateManifest(
  manifestPath: string,
  packageLabel: string,
  options: ReadPluginManifestOptions,
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const marker = `@@paperclip-manifest-${randomBytes(12).toString("hex")}@@`;
  const where = `manifest ${manifestPath} of ${packageLabel}`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      options.nodeBin ?? process.execPath,
      [
        `--max-old-space-size=${PROBE_HEAP_MB}`,
        "--input-type=module",
        "-e",
        MANIFEST_PROBE_SCRIPT,
        pathToFileURL(manifestPath).href,
        marker,
      ],
      // Clean environment: the manifest module sees none of the host's variables (secrets, DB URLs).
      { cwd: path.dirname(manifestPath), env: probeEnvironment(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(() =>
        reject(
          new ManifestLoadError(
            "timeout",
            `Evaluating the ${where} timed out after ${timeoutMs} ms (does the module wait forever or loop at import time?)`,
          ),
        ),
      );
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (stdout.length > MAX_PROBE_OUTPUT_CHARS) {
        child.kill("SIGKILL");
        settle(() =>
          reject(
            new ManifestLoadError("probe_failed", `Evaluating the ${where} printed more than 8 MB; stopped`),
          ),
        );
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < MAX_PROBE_OUTPUT_CHARS) stderr += chunk;
    });
    child.on("error", (error) => {
      settle(() =>
        reject(
          new ManifestLoadError(
            "probe_failed",
            `Could not start node to evaluate the ${where}: ${error.message}`,
          ),
        ),
      );
    });
    child.on("close", (code, signal) => {
      settle(() => {
        const result = lastResult(stdout, marker);
        if (result === undefined) {
          const reason = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          const tail = stderr.trim().split("\n").slice(-STDERR_TAIL_LINES).join("\n");
          reject(
            new ManifestLoadError(
              "probe_failed",
              `Evaluating the ${where} failed: the process ${reason} without a result` +
                (tail ? `:\n${tail}` : ""),
            ),
          );
          return;
        }
        if (result.ok === true) {
          resolve(result.manifest);
          return;
        }
        const message = typeof result.message === "string" ? result.message : "unknown error";
        if (result.kind === "threw") {
          reject(new ManifestLoadError("threw", `The ${where} threw while loading: ${message}`));
        } else if (result.kind === "not_serialisable") {
          reject(
            new ManifestLoadError(
              "not_serialisable",
              `The ${where} is not plain JSON data: ${message} (a manifest may hold only objects, arrays, strings, ` +
                "finite numbers, booleans and null)",
            ),
          );
        } else {
          reject(new ManifestLoadError("no_export", `The ${where} exports no manifest: ${message}`));
        }
      });
    });
  });
}

interface ProbeResult {
  ok?: unknown;
  kind?: unknown;
  message?: unknown;
  manifest?: unknown;
}

function lastResult(stdout: string, marker: string): ProbeResult | undefined {
  const at = stdout.lastIndexOf(marker);
  if (at === -1) return undefined;
  const line = stdout.slice(at + marker.length).split("\n", 1)[0] ?? "";
  try {
    const parsed = JSON.parse(line) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as ProbeResult) : undefined;
  } catch {
    return undefined;
  }
}

/** Only what node needs to start; nothing from the host (tokens, DATABASE_URL, NODE_OPTIONS). */
function probeEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", NODE_ENV: "production", TZ: "UTC" };
}

function describePackage(packageJson: PluginPackageJson, packageDir: string): string {
  return typeof packageJson.name === "string"
    ? `Package "${packageJson.name}" (${packageDir})`
    : `Package at ${packageDir}`;
}

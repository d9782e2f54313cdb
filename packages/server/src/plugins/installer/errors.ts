/**
 * Errors raised by the installer. Each carries a machine-readable code or step so the HTTP route
 * and the CLI can map it (400 with the message) without parsing text.
 */

/** The install spec (`packageName`, `version`, `isLocalPath`) is malformed. */
export class PluginSpecError extends Error {
  override readonly name = "PluginSpecError";
  constructor(
    /** The input field at fault: `packageName` or `version`. */
    readonly field: "packageName" | "version" | "isLocalPath",
    message: string,
  ) {
    super(message);
  }
}

/** The step of an install that failed; named in the error message. */
export type InstallStep = "spec" | "pack" | "verify" | "install" | "local" | "finalise";

/** An install step failed. For npm steps `npmOutput` holds npm's own error lines. */
export class InstallError extends Error {
  override readonly name = "InstallError";
  readonly step: InstallStep;
  /** npm's `npm error …` lines (or its last stderr lines), empty when npm was not involved. */
  readonly npmOutput: string[];
  readonly exitCode: number | null;
  constructor(
    step: InstallStep,
    message: string,
    options: { npmOutput?: string[]; exitCode?: number | null; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.step = step;
    this.npmOutput = options.npmOutput ?? [];
    this.exitCode = options.exitCode ?? null;
  }
}

export type ManifestLoadErrorCode =
  | "no_package_json"
  | "invalid_package_json"
  | "no_manifest"
  | "manifest_outside_package"
  | "timeout"
  | "threw"
  | "no_export"
  | "not_serialisable"
  | "probe_failed";

/** The manifest could not be found or evaluated. */
export class ManifestLoadError extends Error {
  override readonly name = "ManifestLoadError";
  constructor(
    readonly code: ManifestLoadErrorCode,
    message: string,
    /** Files that were looked at, when the manifest was not found. */
    readonly triedPaths: string[] = [],
  ) {
    super(message);
  }
}

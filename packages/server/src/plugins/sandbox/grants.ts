// What an operator may grant one plugin beyond the sandbox's defaults. Each grant widens what the worker can do
// and is shown as a risk: most of them let code step outside the file-system limits of Node's permission model.
import { badRequest } from "../../errors.js";

export const SANDBOX_GRANTS = [
  "childProcess",
  "workerThreads",
  "nativeAddons",
  "wasi",
  "unsandboxed",
] as const;

export type SandboxGrant = (typeof SANDBOX_GRANTS)[number];
export type SandboxGrants = Record<SandboxGrant, boolean>;

export const NO_GRANTS: Readonly<SandboxGrants> = Object.freeze({
  childProcess: false,
  workerThreads: false,
  nativeAddons: false,
  wasi: false,
  unsandboxed: false,
});

/** Why each grant is a risk (the docs, the API and the board show these words). */
export const GRANT_RISKS: Readonly<Record<SandboxGrant, string>> = {
  childProcess:
    "Child processes run outside Node's permission model: a spawned program can read and write anything the " +
    "host's OS user can.",
  workerThreads:
    "Worker threads run more plugin code in parallel (they keep the worker's file-system limits).",
  nativeAddons:
    "Native addons are machine code loaded into the worker: they bypass every limit of the permission model.",
  wasi: "WASI modules reach the file system through their own preopened folders, outside the permission model.",
  unsandboxed:
    "No sandbox at all: no file-system limits, no network namespace. Only for a plugin that cannot run " +
    "sandboxed and that you trust like the host itself.",
};

/** A partial set of grants from a request body: each known name with a boolean, or a 400 naming the field. */
export function validateGrants(input: unknown, field = "grants"): Partial<SandboxGrants> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw badRequest(`${field} must be an object with any of: ${SANDBOX_GRANTS.join(", ")}`, { field });
  }
  const checked: Partial<SandboxGrants> = {};
  for (const [name, value] of Object.entries(input)) {
    if (!(SANDBOX_GRANTS as readonly string[]).includes(name)) {
      throw badRequest(`${field}: unknown grant "${name}" (known: ${SANDBOX_GRANTS.join(", ")})`, {
        field: `${field}.${name}`,
      });
    }
    if (typeof value !== "boolean") {
      throw badRequest(`${field}.${name} must be true or false (got ${JSON.stringify(value)})`, {
        field: `${field}.${name}`,
      });
    }
    checked[name as SandboxGrant] = value;
  }
  return checked;
}

/** The grants that are on, in their fixed order. */
export function grantedNames(grants: SandboxGrants): SandboxGrant[] {
  return SANDBOX_GRANTS.filter((name) => grants[name]);
}

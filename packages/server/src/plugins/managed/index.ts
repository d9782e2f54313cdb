/** Plugin-managed projects and agents (manifest.projects / manifest.agents); see managed-resources.ts. */
export {
  type ManagedCaller,
  ManagedDeclarationError,
  type ManagedKind,
  ManagedResources,
  type ManagedStatus,
} from "./managed-resources.js";

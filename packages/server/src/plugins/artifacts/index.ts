export {
  type ArtifactInfo,
  ArtifactStore,
  ArtifactTooLargeError,
  DEFAULT_MAX_ARTIFACT_BYTES,
  KEPT_ARTIFACTS,
} from "./artifact-store.js";
export { ArtifactUnavailableError, NODE_COPIES_FOLDER, NodePackages } from "./node-packages.js";
export { type ArtifactLayout, layoutOf, packInstalledPlugin, sha512Of } from "./pack.js";
export { folderEntries, packTar, readTar, type TarEntry, writeEntries } from "./tar.js";

/**
 * Root exports that load their module on first use. Every worker imports the root entry; zod alone adds
 * about 12 MB to an idle process, and the in-memory harness is only for tests. Loading both lazily keeps
 * an idle worker close to a bare Node process (DESIGN §7). Node ≥ 20.19 can `require` ES modules, and the
 * module instances are the same ones an `import` would give.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as Zod from "zod";
import type * as Testing from "./testing/index.js";

const load = createRequire(import.meta.url);

let zod: typeof Zod.z | undefined;
function loadZod(): typeof Zod.z {
  if (!zod) {
    // The ESM build by path, so `z` is the very object `import { z } from "zod"` gives plugin code.
    const zodDir = dirname(load.resolve("zod/package.json"));
    zod = (load(join(zodDir, "index.js")) as typeof Zod).z;
  }
  return zod;
}

/** Zod, for instance config schemas and tool parameter schemas, without a separate dependency. */
export const z: typeof Zod.z = new Proxy({} as typeof Zod.z, {
  get: (_target, key) => Reflect.get(loadZod(), key),
  has: (_target, key) => Reflect.has(loadZod(), key),
  ownKeys: () => Reflect.ownKeys(loadZod()),
  getOwnPropertyDescriptor: (_target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(loadZod(), key);
    return descriptor ? { ...descriptor, configurable: true } : undefined;
  },
});

/** Build an in-memory, capability-checked plugin context for unit tests (see `/testing`). */
export function createTestHarness(options: Testing.TestHarnessOptions): Testing.TestHarness {
  return (load("./testing/index.js") as typeof Testing).createTestHarness(options);
}

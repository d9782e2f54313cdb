// The import rules `npm run lint` enforces (.dependency-cruiser.cjs): the repository keeps them, and a new
// import circle or an upward import in a tree shaped like ours fails with the name of the broken rule.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const CRUISER = join(REPO, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

function cruise(cwd: string, ...targets: string[]) {
  const run = spawnSync(
    process.execPath,
    [CRUISER, ...targets, "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
    { cwd, encoding: "utf8" },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const trees: string[] = [];
afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch repository with our rules and the given source files (path → contents). */
function scratchRepo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "structure-rules-"));
  trees.push(root);
  copyFileSync(join(REPO, ".dependency-cruiser.cjs"), join(root, ".dependency-cruiser.cjs"));
  writeFileSync(
    join(root, "tsconfig.base.json"),
    JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const S = "packages/server/src";

describe("import structure rules", () => {
  it("hold on this repository", () => {
    const result = cruise(REPO, `${S}`, "packages/plugin-sdk/src", "examples");
    expect(result.output).toContain("no dependency violations found");
    expect(result.status).toBe(0);
  });

  it("accept imports that point down the layers", () => {
    const root = scratchRepo({
      [`${S}/http/routes.ts`]: `import { run } from "../plugins/runtime/run.js";\nexport const r = run;\n`,
      [`${S}/plugins/runtime/run.ts`]: `import { find } from "../../domain/find.js";\nexport const run = find;\n`,
      [`${S}/domain/find.ts`]: `import { q } from "../db/q.js";\nexport const find = q;\n`,
      [`${S}/db/q.ts`]: "export const q = 1;\n",
    });
    const result = cruise(root, S);
    expect(result.output).toContain("no dependency violations found");
    expect(result.status).toBe(0);
  });

  it("fail on an upward import, naming the rule and both files", () => {
    const root = scratchRepo({
      [`${S}/plugins/jobs/job-service.ts`]: `import { h } from "../../http/helper.js";\nexport const s = h;\n`,
      [`${S}/http/helper.ts`]: "export const h = 1;\n",
      [`${S}/domain/issues.ts`]: `import { r } from "../plugins/runtime/index.js";\nexport const i = r;\n`,
      [`${S}/plugins/runtime/index.ts`]: "export const r = 1;\n",
    });
    const result = cruise(root, S);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(
      /plugins-below-http: packages\/server\/src\/plugins\/jobs\/job-service\.ts/,
    );
    expect(result.output).toMatch(/domain-below-plugins-and-http: packages\/server\/src\/domain\/issues\.ts/);
  });

  it("fail on an import circle", () => {
    const root = scratchRepo({
      [`${S}/domain/agents.ts`]: `import { runs } from "./runs.js";\nexport const agents = () => runs;\n`,
      [`${S}/domain/runs.ts`]: `import { agents } from "./agents.js";\nexport const runs = () => agents;\n`,
    });
    const result = cruise(root, S);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("no-circular");
    expect(result.output).toContain("domain/runs.ts");
  });

  it("keep the runtime core independent of the features built on it", () => {
    const root = scratchRepo({
      [`${S}/plugins/runtime/plugin-runtime.ts`]: `import { j } from "../jobs/scheduler.js";\nexport const p = j;\n`,
      [`${S}/plugins/jobs/scheduler.ts`]: "export const j = 1;\n",
    });
    const result = cruise(root, S);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("runtime-core-below-features");
  });
});

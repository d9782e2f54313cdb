// `paperclip user create|list|reset-password` against a real instance database (embedded PGlite in a temporary
// instance folder, and a scratch PostgreSQL with TEST_DATABASE_URL), then signing in to a host on that database with
// what it created. Also the deployment-mode settings: which binds need authenticated mode, the public URL and the
// session secret.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runUserCommand, type UserCliIo } from "../../src/cli/user.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/database.js";
import { buildApp } from "../../src/http/app.js";
import { authSecretFor } from "../../src/http/auth/auth-secret.js";
import { createScratchPostgres, ENGINES, type Engine } from "../support/database.js";
import { TEST_AUTH_SECRET } from "./support.js";

function io(stdin = "") {
  let out = "";
  let err = "";
  const cli: UserCliIo = {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    readStdin: async () => stdin,
  };
  return { cli, out: () => out, err: () => err };
}

describe.each(ENGINES)("paperclip user (%s)", (engine: Engine) => {
  let work: string;
  let instance: string[];
  let env: NodeJS.ProcessEnv;
  let drop = async () => {};
  let databaseUrl: string | null = null;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "pc-user-cli-"));
    env = { PAPERCLIP_HOME: work };
    instance = ["--data-dir", path.join(work, "instance")];
    if (engine === "postgres") {
      const scratch = await createScratchPostgres();
      databaseUrl = scratch.url;
      drop = scratch.drop;
      instance.push("--database-url", scratch.url);
    }
  });
  afterAll(async () => {
    await drop();
    rmSync(work, { recursive: true, force: true });
  });

  const user = async (args: string[], stdin = "") => {
    const run = io(stdin);
    const code = await runUserCommand([...args, ...instance], run.cli, env);
    return { code, out: run.out(), err: run.err() };
  };

  it("creates the first user as instance admin, from --password-stdin", async () => {
    const created = await user(
      ["create", "--email", "Grace@Example.com", "--name", "Grace Hopper", "--password-stdin"],
      "cobol and compilers\n",
    );
    expect(created.err).toBe("");
    expect(created.code).toBe(0);
    expect(created.out).toMatch(
      /^Created user grace@example\.com \(Grace Hopper\), instance admin \(id [0-9a-f-]{36}\)\n/,
    );
    expect(created.out).toMatch(/this instance runs local_trusted/);
  });

  it("refuses a duplicate email, a weak password, a bad email and missing options, naming the problem", async () => {
    const duplicate = await user([
      "create",
      "--email",
      "grace@example.com",
      "--name",
      "G",
      "--password",
      "another good one",
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toBe("paperclip user create: A user with email grace@example.com already exists\n");
    const weak = await user(["create", "--email", "linus@example.com", "--name", "L", "--password", "short"]);
    expect(weak.err).toBe("paperclip user create: Password too short: at least 10 characters\n");
    const repetitive = await user([
      "create",
      "--email",
      "linus@example.com",
      "--name",
      "L",
      "--password",
      "aaaaaaaaaaaa",
    ]);
    expect(repetitive.err).toBe(
      "paperclip user create: Password too weak: use at least 4 different characters\n",
    );
    const email = await user(["create", "--email", "linus", "--name", "L", "--password", "a fine password"]);
    expect(email.err).toBe('paperclip user create: Not an email address: "linus"\n');
    const noPassword = await user(["create", "--email", "linus@example.com", "--name", "L"]);
    expect(noPassword.err).toMatch(/a password is required: --password-stdin \(recommended\) or --password/);
    const both = await user(
      ["create", "--email", "l@example.com", "--name", "L", "--password", "x", "--password-stdin"],
      "y",
    );
    expect(both.err).toMatch(/either --password or --password-stdin, not both/);
    const unknownOption = await user(["create", "--emial", "x"]);
    expect(unknownOption.code).toBe(1);
    expect(unknownOption.err).toMatch(/Unknown option '--emial'/);
  });

  it("creates further users (not admins unless --admin), lists them and resets a password", async () => {
    expect(
      (
        await user([
          "create",
          "--email",
          "linus@example.com",
          "--name",
          "Linus",
          "--password",
          "penguins rule 1991",
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await user([
          "create",
          "--email",
          "ken@example.com",
          "--name",
          "Ken",
          "--password",
          "unix since 1969",
          "--admin",
        ])
      ).code,
    ).toBe(0);
    const list = await user(["list"]);
    expect(list.out.split("\n").slice(0, 4)).toEqual([
      "EMAIL              ADMIN  NAME",
      "grace@example.com  yes    Grace Hopper",
      "linus@example.com  no     Linus",
      "ken@example.com    yes    Ken",
    ]);
    const json = JSON.parse((await user(["list", "--json"])).out);
    expect(
      json.map((u: { email: string; isInstanceAdmin: boolean }) => [u.email, u.isInstanceAdmin]),
    ).toEqual([
      ["grace@example.com", true],
      ["linus@example.com", false],
      ["ken@example.com", true],
    ]);
    const reset = await user(
      ["reset-password", "--email", "linus@example.com", "--password-stdin"],
      "tux the penguin\n",
    );
    expect(reset.code).toBe(0);
    expect(reset.out).toBe("New password set for linus@example.com (Linus); their sessions have ended\n");
    const nobody = await user([
      "reset-password",
      "--email",
      "nobody@example.com",
      "--password",
      "whatever it is",
    ]);
    expect(nobody.err).toBe("paperclip user reset-password: No user with email nobody@example.com\n");
  });

  it("creates accounts a host in authenticated mode signs in with", async () => {
    const db = databaseUrl
      ? await openDatabase({ kind: "postgres", url: databaseUrl, poolMax: 2 })
      : await openDatabase({ kind: "pglite", dataDir: path.join(work, "instance", "db") });
    const app = await buildApp({
      db,
      config: { deploymentMode: "authenticated", bodyLimitBytes: 1 << 20, authSecret: TEST_AUTH_SECRET },
      logger: false,
    });
    try {
      const signIn = (password: string) =>
        app.inject({
          method: "POST",
          url: "/api/auth/sign-in/email",
          headers: { host: "127.0.0.1", "content-type": "application/json" },
          payload: { email: "linus@example.com", password },
        });
      expect((await signIn("penguins rule 1991")).statusCode).toBe(401);
      const ok = await signIn("tux the penguin");
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().user.isInstanceAdmin).toBe(false);
    } finally {
      await app.close();
      await db.close();
    }
  });

  it("says what to do when there is no instance or a host holds the embedded database", async () => {
    const run = io();
    const code = await runUserCommand(["list", "--data-dir", path.join(work, "nowhere")], run.cli, env);
    expect(code).toBe(1);
    expect(run.err()).toBe(
      `paperclip user list: no instance at ${path.join(work, "nowhere")} (--data-dir or PAPERCLIP_HOME point at another one)\n`,
    );
    expect((await user(["frobnicate"])).err).toMatch(/unknown command "frobnicate"/);
  });
});

describe("deployment mode settings", () => {
  const dataDir = path.join(tmpdir(), "pc-mode-config");

  it("binds other addresses only in authenticated mode, and says how", () => {
    expect(() => loadConfig({ dataDir, host: "0.0.0.0" }, {})).toThrow(
      /local_trusted mode has no login.*start in authenticated mode \(PAPERCLIP_DEPLOYMENT_MODE=authenticated or --mode authenticated/,
    );
    const config = loadConfig({ dataDir, host: "0.0.0.0" }, { PAPERCLIP_DEPLOYMENT_MODE: "authenticated" });
    expect(config.deploymentMode).toBe("authenticated");
    expect(() => loadConfig({ dataDir, deploymentMode: "public" }, {})).toThrow(
      'Invalid setting "deploymentMode": must be one of local_trusted, authenticated',
    );
  });

  it("checks the public URL and the session secret", () => {
    expect(loadConfig({ dataDir, publicUrl: "https://board.example.com/" }, {}).publicUrl).toBe(
      "https://board.example.com",
    );
    expect(() => loadConfig({ dataDir, publicUrl: "board.example.com" }, {})).toThrow(
      /Invalid setting "publicUrl": must be an http:\/\/ or https:\/\/ origin/,
    );
    expect(() => loadConfig({ dataDir }, { PAPERCLIP_AUTH_SECRET: "short" })).toThrow(
      /Invalid setting "authSecret": must be at least 32 characters/,
    );
    expect(loadConfig({ dataDir }, { PAPERCLIP_AUTH_SECRET: "s".repeat(40) }).authSecret).toBe(
      "s".repeat(40),
    );
  });

  it("generates the session secret once, private, and reuses it", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "pc-secret-"));
    try {
      const first = authSecretFor(null, folder);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(path.join(folder, "auth-secret")).mode & 0o777).toBe(0o600);
      expect(authSecretFor(null, folder)).toBe(first);
      expect(readFileSync(path.join(folder, "auth-secret"), "utf8").trim()).toBe(first);
      expect(authSecretFor("given".repeat(8), folder)).toBe("given".repeat(8));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

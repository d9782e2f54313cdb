// Company secrets: the HTTP routes (value never returned), AES-256-GCM at rest, the key sources, resolution
// by a real worker only for secrets its saved config references (string and object refs, pinned versions),
// the rate limit, and that a resolved value never reaches a log.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginIdentity } from "../../src/plugins/host-services/index.js";
import { loadSecretCipher, SECRETS_KEY_ENV, SecretKeyError } from "../../src/plugins/secrets/index.js";
import { ENGINES } from "../support/database.js";
import { eventually, ServicesBed } from "./fixtures/services/bed.js";
import { type HttpHost, startHttpHost } from "./fixtures/services/http-host.js";

const SCHEMA = {
  type: "object",
  properties: {
    apiToken: { type: "string", format: "secret-ref" },
    webhookSecret: { format: "secret-ref" },
  },
};
const PLAINTEXT = "sk-live-4f9a-very-secret-value";

describe("the secrets key", () => {
  it("is created once in the instance folder with mode 0600 and reused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-key-"));
    try {
      const first = loadSecretCipher({ dataDir: dir, env: {} });
      const file = path.join(dir, "secrets.key");
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const sealed = first.seal("hello", "aad");
      const second = loadSecretCipher({ dataDir: dir, env: {} });
      expect(second.keyId).toBe(first.keyId);
      expect(second.open(sealed, "aad")).toBe("hello");
      expect(() => second.open(sealed, "other-aad")).toThrow(/integrity check/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("comes from PAPERCLIP_SECRETS_KEY when set, and a malformed one is refused by name", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const cipher = loadSecretCipher({ dataDir: null, env: { [SECRETS_KEY_ENV]: key } });
    expect(cipher.source).toBe(SECRETS_KEY_ENV);
    expect(() => loadSecretCipher({ dataDir: null, env: { [SECRETS_KEY_ENV]: "too-short" } })).toThrow(
      /PAPERCLIP_SECRETS_KEY must be the base64 encoding of exactly 32 random bytes/,
    );
    const other = loadSecretCipher({ dataDir: null, env: {} });
    expect(() => other.open(cipher.seal("x", "a"), "a")).toThrow(SecretKeyError);
  });
});

describe.each(ENGINES)("company secrets (%s)", (engine) => {
  let bed: ServicesBed;
  let host: HttpHost;
  let company: { id: string };
  let other: { id: string };
  let plugin: PluginIdentity;
  const hostLog: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        hostLog.push(String(chunk));
        done();
      },
    });
    bed = await ServicesBed.open(engine, {
      fakeClock: true,
      secretRateLimit: { capacity: 5, perMinute: 2 },
      logger: pino({ level: "debug" }, sink),
    });
    host = await startHttpHost(bed);
    company = await bed.company("Alpha");
    other = await bed.company("Beta");
    plugin = await bed.plugin({ capabilities: ["secrets.read-ref"], instanceConfigSchema: SCHEMA });
  });

  afterAll(async () => {
    await host?.close();
    await bed?.close();
  });

  it("creates, lists and rotates secrets over HTTP without ever returning the value", async () => {
    const created = await host.request("POST", `/api/companies/${company.id}/secrets`, {
      name: "Slack token",
      value: "v1-value",
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(["createdAt", "id", "name", "version"]);
    expect(created.body).toMatchObject({ name: "Slack token", version: 1 });

    const duplicate = await host.request("POST", `/api/companies/${company.id}/secrets`, {
      name: "Slack token",
      value: "x",
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toContain('a secret named "Slack token" already exists');

    const rotated = await host.request(
      "POST",
      `/api/companies/${company.id}/secrets/${created.body.id}/versions`,
      { value: "v2-value" },
    );
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ id: created.body.id, version: 2 });

    const list = await host.request("GET", `/api/companies/${company.id}/secrets`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ id: created.body.id, name: "Slack token", version: 2 });
    expect(JSON.stringify(list.body)).not.toContain("value");
  });

  it("rejects bad secret requests with the field named", async () => {
    const missing = await host.request("POST", `/api/companies/${company.id}/secrets`, { name: "No value" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain("body.value is required");
    const empty = await host.request("POST", `/api/companies/${company.id}/secrets`, {
      name: "",
      value: "x",
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toContain("body.name");
    const noCompany = await host.request(
      "POST",
      "/api/companies/00000000-0000-4000-8000-000000000000/secrets",
      { name: "a", value: "b" },
    );
    expect(noCompany.status).toBe(404);
    const noSecret = await host.request(
      "POST",
      `/api/companies/${company.id}/secrets/00000000-0000-4000-8000-000000000000/versions`,
      {
        value: "x",
      },
    );
    expect(noSecret.status).toBe(404);
  });

  it("stores only ciphertext at rest", async () => {
    const created = await host.request("POST", `/api/companies/${company.id}/secrets`, {
      name: "At rest",
      value: PLAINTEXT,
    });
    const rows = await bed.db.query(
      "t_secret_rows",
      "SELECT ciphertext, iv, auth_tag FROM company_secret_versions WHERE secret_id = $1",
      [created.body.id],
    );
    const stored = Buffer.from(rows[0]!.ciphertext as Uint8Array);
    expect(stored.length).toBe(Buffer.byteLength(PLAINTEXT));
    expect(stored.toString("utf8")).not.toContain("secret");
    expect(Buffer.from(rows[0]!.iv as Uint8Array).length).toBe(12);
    expect(Buffer.from(rows[0]!.auth_tag as Uint8Array).length).toBe(16);
  });

  it("resolves a referenced secret in a real worker, as a plain id and as a pinned object ref", async () => {
    const token = (
      await host.request("POST", `/api/companies/${company.id}/secrets`, { name: "token", value: "token-v1" })
    ).body;
    await host.request("POST", `/api/companies/${company.id}/secrets/${token.id}/versions`, {
      value: "token-v2",
    });
    const hook = (
      await host.request("POST", `/api/companies/${company.id}/secrets`, { name: "hook", value: "hook-v1" })
    ).body;
    const saved = await host.request("POST", `/api/plugins/${plugin.pluginId}/config`, {
      companyId: company.id,
      configJson: {
        apiToken: token.id,
        webhookSecret: { type: "secret_ref", secretId: hook.id, version: 1 },
      },
    });
    expect(saved.status).toBe(200);
    const worker = await bed.worker(plugin);

    expect((await worker.ctx("secrets.resolve", [token.id], company.id)).result).toBe("token-v2");
    expect(
      (
        await worker.ctx(
          "secrets.resolve",
          [{ type: "secret_ref", secretId: token.id, version: 1 }],
          company.id,
        )
      ).result,
    ).toBe("token-v1");
    expect(
      (await worker.ctx("secrets.resolve", [{ type: "secret_ref", secretId: hook.id }], company.id)).result,
    ).toBe("hook-v1");
  });

  it("refuses secrets the plugin's config does not reference, and refs to other companies' secrets", async () => {
    const unbound = (
      await host.request("POST", `/api/companies/${company.id}/secrets`, { name: "unbound", value: "nope" })
    ).body;
    const worker =
      bed.workers.find((w) => w.plugin.pluginId === plugin.pluginId) ?? (await bed.worker(plugin));
    const refused = await worker.ctx("secrets.resolve", [unbound.id], company.id);
    expect(refused.caught?.message).toContain(
      `secret "${unbound.id}" is not bound to plugin "${plugin.pluginKey}"`,
    );

    const foreign = (
      await host.request("POST", `/api/companies/${other.id}/secrets`, { name: "beta", value: "beta" })
    ).body;
    const crossRef = await host.request("POST", `/api/plugins/${plugin.pluginId}/config`, {
      companyId: company.id,
      configJson: { apiToken: foreign.id },
    });
    expect(crossRef.status).toBe(400);
    expect(crossRef.body.fieldErrors).toEqual([
      { field: "/apiToken", message: `secret "${foreign.id}" does not exist in this company` },
    ]);
    const badVersion = await host.request("POST", `/api/plugins/${plugin.pluginId}/config`, {
      companyId: company.id,
      configJson: { apiToken: { type: "secret_ref", secretId: unbound.id, version: 9 } },
    });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.fieldErrors[0].message).toContain("has no version 9 (latest is 1)");

    const otherCompany = await worker.ctx(
      "secrets.resolve",
      [foreign.id, { companyId: other.id }],
      company.id,
    );
    expect(otherCompany.caught?.code).toBe(-32005);
    const malformed = await worker.ctx("secrets.resolve", [{ type: "env", name: "X" }], company.id);
    expect(malformed.caught?.message).toContain(
      'params.secretRef must be a secret id string or {type: "secret_ref"',
    );
  });

  it("rate-limits resolution per plugin, and refills with time", async () => {
    const limited = await bed.plugin({ capabilities: ["secrets.read-ref"], instanceConfigSchema: SCHEMA });
    const secret = (
      await host.request("POST", `/api/companies/${company.id}/secrets`, { name: "limited", value: "lim" })
    ).body;
    await host.request("POST", `/api/plugins/${limited.pluginId}/config`, {
      companyId: company.id,
      configJson: { apiToken: secret.id },
    });
    const worker = await bed.worker(limited);
    for (let i = 0; i < 5; i++)
      expect((await worker.ctx("secrets.resolve", [secret.id], company.id)).result).toBe("lim");
    const refused = await worker.ctx("secrets.resolve", [secret.id], company.id);
    expect(refused.caught?.message).toContain(
      `rate limit exceeded: plugin "${limited.pluginKey}" may resolve 2 secrets per minute`,
    );
    bed.clock!.advance(30_000);
    expect((await worker.ctx("secrets.resolve", [secret.id], company.id)).result).toBe("lim");
  });

  it("never writes a resolved value to a log, even when the plugin prints it", async () => {
    const leaky = await bed.plugin({ capabilities: ["secrets.read-ref"], instanceConfigSchema: SCHEMA });
    const secret = (
      await host.request("POST", `/api/companies/${company.id}/secrets`, {
        name: "leaky",
        value: PLAINTEXT + "-2",
      })
    ).body;
    await host.request("POST", `/api/plugins/${leaky.pluginId}/config`, {
      companyId: company.id,
      configJson: { apiToken: secret.id },
    });
    const worker = await bed.worker(leaky);
    const value = (await worker.ctx("secrets.resolve", [secret.id], company.id)).result;
    expect(value).toBe(`${PLAINTEXT}-2`);
    await worker.action(
      "log",
      { level: "warn", message: `token is ${value}`, meta: { token: value } },
      company.id,
    );
    await worker.action("stderr", { line: `stderr says ${value}` }, company.id);
    await eventually(async () => {
      await bed.factory.logs.flush();
      const rows = await bed.factory.logs.query(leaky.pluginId, { limit: 100 });
      return rows.some((row) => row.message.startsWith("stderr says"));
    }, "stderr line stored");
    const rows = await bed.factory.logs.query(leaky.pluginId, { limit: 100 });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(PLAINTEXT);
    expect(text).toContain("token is [REDACTED]");
    expect(text).toContain("stderr says [REDACTED]");
    expect(hostLog.join("")).not.toContain(PLAINTEXT);
    expect(hostLog.join("")).toContain("token is [REDACTED]");
  });
});

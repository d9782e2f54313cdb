// A signed-in user's API keys for scripts: the token is shown once, lists never show it, a Bearer key acts as its
// user (memberships and admin flag as they are now), and revoked or expired keys stop working at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES } from "../support/database.js";
import { type AuthHost, type Caller, show, startAuthHost } from "./support.js";

describe.each(ENGINES)("user API keys (%s)", (engine) => {
  let host: AuthHost;
  let ada: Caller;
  let bob: Caller;

  beforeAll(async () => {
    host = await startAuthHost(engine);
    await host.createUser("ada@example.com", "Ada");
    await host.createUser("bob@example.com", "Bob");
    ada = await host.signIn("ada@example.com");
    bob = await host.signIn("bob@example.com");
  });
  afterAll(() => host?.close());

  it("shows the token once, lists keys without it, and acts as the key's user", async () => {
    const created = await host.request("POST", "/api/me/api-keys", { name: "deploy script" }, bob);
    expect(created.status, show(created)).toBe(201);
    expect(created.body.token).toMatch(/^pck_[0-9a-f]{48}$/);
    expect(created.body).toMatchObject({ name: "deploy script", expiresAt: null, revokedAt: null });
    expect(created.body.prefix).toBe(created.body.token.slice(0, 12));

    const list = await host.request("GET", "/api/me/api-keys", undefined, bob);
    expect(list.body).toHaveLength(1);
    expect(list.text).not.toContain(created.body.token);
    expect(list.body[0]).not.toHaveProperty("token");
    // Only the hash is stored.
    const stored = await host.services.db.query<{ key_hash: string }>(
      "keys_raw",
      "SELECT key_hash FROM user_api_keys",
      [],
    );
    expect(JSON.stringify(stored)).not.toContain(created.body.token);

    const key: Caller = { token: created.body.token };
    const me = await host.request("GET", "/api/me", undefined, key);
    expect(me.body.user.email).toBe("bob@example.com");
    const company = await host.request("POST", "/api/companies", { name: "Scripted" }, key);
    expect(company.status).toBe(201);
    expect(
      (await host.request("GET", "/api/companies", undefined, bob)).body.map((c: { name: string }) => c.name),
    ).toEqual(["Scripted"]);
    const used = await host.request("GET", "/api/me/api-keys", undefined, bob);
    expect(used.body[0].lastUsedAt).not.toBeNull();
    // A key is not an admin's unless its user is.
    expect((await host.request("GET", "/api/users", undefined, key)).status).toBe(403);
  });

  it("stops a revoked key at once; another user cannot revoke it", async () => {
    const created = await host.request("POST", "/api/me/api-keys", { name: "short-lived" }, bob);
    const key: Caller = { token: created.body.token };
    expect((await host.request("GET", "/api/me", undefined, key)).status).toBe(200);

    const stranger = await host.request("DELETE", `/api/me/api-keys/${created.body.id}`, undefined, ada);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toBe("API key not found");

    const revoked = await host.request("DELETE", `/api/me/api-keys/${created.body.id}`, undefined, bob);
    expect(revoked.status, show(revoked)).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await host.request("GET", "/api/me", undefined, key);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe(
      "Authorization: the Bearer token is not a valid API key (unknown, revoked or expired)",
    );
    // Revoking again changes nothing.
    expect((await host.request("DELETE", `/api/me/api-keys/${created.body.id}`, undefined, bob)).status).toBe(
      200,
    );
  });

  it("stops an expired key, and validates what a key is created with", async () => {
    const created = await host.request("POST", "/api/me/api-keys", { name: "week", expiresInDays: 7 }, ada);
    expect(created.status).toBe(201);
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    await host.services.db.query(
      "expire_key",
      "UPDATE user_api_keys SET expires_at = now() - interval '1 second' WHERE id = $1",
      [created.body.id],
    );
    expect((await host.request("GET", "/api/me", undefined, { token: created.body.token })).status).toBe(401);

    const noName = await host.request("POST", "/api/me/api-keys", {}, ada);
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatch(/name/);
    const tooLong = await host.request("POST", "/api/me/api-keys", { name: "x", expiresInDays: 0 }, ada);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatch(/expiresInDays/);
    // A user's key may not pose as a run.
    const withRun = await host.request("GET", "/api/me", undefined, {
      token: (await host.request("POST", "/api/me/api-keys", { name: "r" }, ada)).body.token,
      headers: { "x-paperclip-run-id": "00000000-0000-4000-8000-000000000000" },
    });
    expect(withRun.status).toBe(401);
    expect(withRun.body.error).toMatch(/goes with an agent API key or run token/);
  });
});

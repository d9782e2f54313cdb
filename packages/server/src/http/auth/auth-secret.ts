// The secret that signs session cookies: PAPERCLIP_AUTH_SECRET when set, else one generated at the first
// authenticated start and kept in <dataDir>/auth-secret (mode 0600), so sessions survive restarts. Every host node
// sharing one PostgreSQL needs the same secret: set the variable there.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PRIVATE_FILE_MODE } from "../../db/private-files.js";

export const AUTH_SECRET_FILE = "auth-secret";

export function authSecretFor(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, AUTH_SECRET_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length < 32) {
      throw new Error(
        `${file} holds no usable secret (fewer than 32 characters): delete it to generate a new one`,
      );
    }
    return stored;
  }
  const secret = randomBytes(32).toString("hex");
  // "wx": two processes starting at once never both write (the second one fails and can simply restart).
  writeFileSync(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: "wx" });
  chmodSync(file, PRIVATE_FILE_MODE);
  return secret;
}

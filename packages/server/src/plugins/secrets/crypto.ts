// Company secrets are sealed with AES-256-GCM. The key comes from PAPERCLIP_SECRETS_KEY (base64 of 32 bytes),
// else from a key file in the instance folder created once with mode 0600, else (no instance folder: tests)
// a random key held in memory. Each ciphertext is bound to its secret and version (additional data), so a row
// copied onto another secret does not decrypt.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SECRETS_KEY_ENV = "PAPERCLIP_SECRETS_KEY";
export const SECRETS_KEY_FILE = "secrets.key";
const KEY_BYTES = 32;
const IV_BYTES = 12;

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

export class SecretKeyError extends Error {
  override readonly name = "SecretKeyError";
}

export class SecretCipher {
  /** A short fingerprint of the key, stored beside each ciphertext to explain a key mismatch. */
  readonly keyId: string;

  constructor(
    private readonly key: Buffer,
    /** Where the key came from, for messages ("PAPERCLIP_SECRETS_KEY", a file path, "memory"). */
    readonly source: string,
  ) {
    if (key.length !== KEY_BYTES)
      throw new SecretKeyError(`The secrets key must be ${KEY_BYTES} bytes (${source})`);
    this.keyId = createHash("sha256").update(key).digest("hex").slice(0, 16);
  }

  seal(plaintext: string, additionalData: string): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(additionalData, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: this.keyId };
  }

  open(sealed: SealedSecret, additionalData: string): string {
    if (sealed.keyId !== this.keyId) {
      throw new SecretKeyError(
        `The secret was sealed with another key (key id ${sealed.keyId}); the host's key (${this.source}) is ${this.keyId}`,
      );
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, sealed.iv);
    decipher.setAAD(Buffer.from(additionalData, "utf8"));
    decipher.setAuthTag(sealed.authTag);
    try {
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretKeyError(
        "The stored secret failed its integrity check (tampered or copied ciphertext)",
      );
    }
  }
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== trimmed.replace(/=+$/, "")) {
    throw new SecretKeyError(`${source} must be the base64 encoding of exactly ${KEY_BYTES} random bytes`);
  }
  return key;
}

/** The host's secret cipher: env key, else `<dataDir>/secrets.key` (created 0600), else an in-memory key. */
export function loadSecretCipher(options: { dataDir: string | null; env?: NodeJS.ProcessEnv }): SecretCipher {
  const env = options.env ?? process.env;
  const fromEnv = env[SECRETS_KEY_ENV];
  if (fromEnv) return new SecretCipher(decodeKey(fromEnv, SECRETS_KEY_ENV), SECRETS_KEY_ENV);
  if (!options.dataDir) return new SecretCipher(randomBytes(KEY_BYTES), "memory");
  const file = join(options.dataDir, SECRETS_KEY_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${randomBytes(KEY_BYTES).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another host process on this folder created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  // Nobody but the host's user may read the key.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return new SecretCipher(decodeKey(readFileSync(file, "utf8"), file), file);
}

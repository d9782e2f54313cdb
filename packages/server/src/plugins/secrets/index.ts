export {
  loadSecretCipher,
  SECRETS_KEY_ENV,
  SECRETS_KEY_FILE,
  SecretCipher,
  SecretKeyError,
} from "./crypto.js";
export { DEFAULT_SECRET_RATE_LIMIT, type RateLimitOptions, TokenBucketLimiter } from "./rate-limit.js";
export { REDACTED, SecretRedactor } from "./redactor.js";
export { SecretResolutionError, SecretResolver } from "./resolver.js";
export { CompanySecretService, type CompanySecretServiceDeps } from "./secret-service.js";
export { CompanySecretsStore, type SecretMetadata, type SecretVersionMetadata } from "./store.js";

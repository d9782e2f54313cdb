// What a password must be (sign-in accounts of authenticated mode): checked when an account is created or its
// password reset, and by better-auth (length) when a user changes their own.
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Why a password is too weak, or null. */
export function passwordProblem(password: string, email = ""): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Password too short: at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Password too long: at most ${MAX_PASSWORD_LENGTH} characters`;
  if (new Set(password).size < 4) return "Password too weak: use at least 4 different characters";
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 3 && password.toLowerCase().includes(local))
    return "Password too weak: it contains the email address";
  return null;
}

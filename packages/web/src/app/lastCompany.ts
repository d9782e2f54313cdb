// The prefix of the company last opened in this browser: "Back to the board" from instance settings returns
// there. (The `/` redirect deliberately opens the first company, as Paperclip does.)
const KEY = "paperclip.lastCompanyPrefix";

export function rememberCompany(prefix: string): void {
  try {
    localStorage.setItem(KEY, prefix);
  } catch {
    // storage unavailable (private mode): nothing to remember
  }
}

export function lastCompanyPrefix(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

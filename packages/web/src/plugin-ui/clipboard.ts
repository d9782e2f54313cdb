// `copyTextToClipboard` (reference §10.3): the Clipboard API where the page is a secure context, else a
// hidden textarea and `document.execCommand("copy")`, so copying also works on plain-HTTP deployments.

export async function copyTextToClipboard(text: string): Promise<void> {
  const clipboard = globalThis.navigator?.clipboard;
  if (clipboard?.writeText && globalThis.isSecureContext) {
    try {
      await clipboard.writeText(text);
      return;
    } catch {
      // Permission denied or document not focused: fall through to the textarea.
    }
  }
  copyWithTextarea(text);
}

function copyWithTextarea(text: string): void {
  const doc = globalThis.document;
  if (!doc?.body) throw new Error("Copy to clipboard is not available here");
  const textarea = doc.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.style.position = "fixed";
  textarea.style.top = "0";
  textarea.style.left = "0";
  textarea.style.opacity = "0";
  textarea.style.pointerEvents = "none";
  const previousFocus = doc.activeElement as HTMLElement | null;
  doc.body.appendChild(textarea);
  try {
    textarea.focus();
    textarea.select();
    textarea.setSelectionRange(0, text.length);
    if (!doc.execCommand("copy")) throw new Error("The browser refused to copy to the clipboard");
  } finally {
    textarea.remove();
    previousFocus?.focus?.();
  }
}

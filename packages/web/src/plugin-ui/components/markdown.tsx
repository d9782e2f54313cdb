// MarkdownBlock (GitHub-flavoured Markdown, optional `[[wiki links]]`) and MarkdownEditor (a textarea with a
// preview tab; Cmd/Ctrl+Enter submits) for plugin UIs. Raw HTML in the Markdown is not rendered.
import type { MarkdownBlockProps, MarkdownEditorProps } from "@paperclipai/plugin-sdk/ui";
import { useId, useState } from "react";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "./cn.js";

const WIKI_LINK_RE = /\[\[([^\]|\n]+)(?:\|([^\]\n]+))?\]\]/g;

/** Replace `[[target]]` / `[[target|label]]` outside code with Markdown links (text where no href resolves). */
export function expandWikiLinks(
  content: string,
  resolve: (target: string, label: string) => string | null | undefined,
): string {
  const parts = content.split(/(```[\s\S]*?(?:```|$)|`[^`\n]*`)/g);
  return parts
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(WIKI_LINK_RE, (whole, rawTarget: string, rawLabel?: string) => {
            const target = rawTarget.trim();
            const label = (rawLabel ?? rawTarget).trim();
            const href = resolve(target, label);
            if (!href) return label || whole;
            return `[${label.replace(/[[\]]/g, "\\$&")}](<${href.replace(/[<>]/g, encodeURIComponent)}>)`;
          }),
    )
    .join("");
}

const PROSE =
  "space-y-3 text-sm leading-6 text-zinc-800 dark:text-zinc-200 [&_a]:text-sky-700 [&_a]:underline dark:[&_a]:text-sky-400 " +
  "[&_h1]:text-xl [&_h1]:font-semibold [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold " +
  "[&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5 [&_blockquote]:border-l-2 [&_blockquote]:pl-3 " +
  "[&_blockquote]:text-zinc-500 [&_code]:rounded [&_code]:bg-zinc-100 [&_code]:px-1 dark:[&_code]:bg-zinc-800 " +
  "[&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-zinc-100 [&_pre]:p-3 dark:[&_pre]:bg-zinc-900 " +
  "[&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_table]:w-full [&_th]:border [&_th]:px-2 [&_td]:border [&_td]:px-2 " +
  "[&_th]:border-zinc-300 [&_td]:border-zinc-300 dark:[&_th]:border-zinc-700 dark:[&_td]:border-zinc-700";

export function MarkdownBlock({
  content,
  className,
  enableWikiLinks,
  wikiLinkRoot,
  resolveWikiLinkHref,
}: MarkdownBlockProps) {
  const source = enableWikiLinks
    ? expandWikiLinks(content ?? "", (target, label) => {
        if (resolveWikiLinkHref) return resolveWikiLinkHref(target, label);
        const root = (wikiLinkRoot ?? "").replace(/\/+$/, "");
        return `${root}/${target.split("/").map(encodeURIComponent).join("/")}`;
      })
    : (content ?? "");
  return (
    <div className={cn(PROSE, className)}>
      <ReactMarkdown remarkPlugins={[remarkGfm]}>{source}</ReactMarkdown>
    </div>
  );
}

export function MarkdownEditor({
  value,
  onChange,
  placeholder,
  className,
  contentClassName,
  onBlur,
  bordered = true,
  readOnly,
  onSubmit,
}: MarkdownEditorProps) {
  const [mode, setMode] = useState<"write" | "preview">("write");
  const id = useId();
  if (readOnly) return <MarkdownBlock content={value} className={cn(contentClassName, className)} />;
  return (
    <div
      className={cn(
        "rounded-lg",
        bordered &&
          "border border-zinc-200 focus-within:border-zinc-400 dark:border-zinc-800 dark:focus-within:border-zinc-600",
        className,
      )}
    >
      <div
        role="tablist"
        className="flex gap-1 border-zinc-200 border-b px-2 pt-1 text-xs dark:border-zinc-800"
      >
        {(["write", "preview"] as const).map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={mode === tab}
            aria-controls={`${id}-${tab}`}
            onClick={() => setMode(tab)}
            className={cn(
              "-mb-px border-b-2 px-2 py-1 capitalize",
              mode === tab
                ? "border-zinc-900 text-zinc-900 dark:border-zinc-100 dark:text-zinc-100"
                : "border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200",
            )}
          >
            {tab}
          </button>
        ))}
      </div>
      {mode === "write" ? (
        <textarea
          id={`${id}-write`}
          value={value}
          placeholder={placeholder}
          onChange={(event) => onChange(event.target.value)}
          onBlur={onBlur}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.metaKey || event.ctrlKey) && onSubmit) {
              event.preventDefault();
              onSubmit();
            }
          }}
          className={cn(
            "block min-h-32 w-full resize-y bg-transparent p-3 font-mono text-sm text-zinc-900 outline-none placeholder:text-zinc-400 dark:text-zinc-100",
            contentClassName,
          )}
        />
      ) : (
        <div id={`${id}-preview`} className={cn("min-h-32 p-3", contentClassName)}>
          {value.trim() ? (
            <MarkdownBlock content={value} />
          ) : (
            <p className="text-sm text-zinc-500">Nothing to preview</p>
          )}
        </div>
      )}
    </div>
  );
}

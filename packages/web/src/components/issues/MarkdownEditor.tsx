// A Markdown text area with Write / Preview tabs, for issue descriptions, comments and documents.
import { Eye, Pencil } from "lucide-react";
import { type ComponentProps, useId, useState } from "react";
import { Textarea } from "@/components/ui";
import { Markdown } from "@/components/ui/Markdown";
import { cn } from "@/lib/cn";

export interface MarkdownEditorProps extends Omit<ComponentProps<"textarea">, "value" | "onChange"> {
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/⌘+Enter submits (comments, in-place edits). */
  onSubmitShortcut?: () => void;
  /** Escape cancels (in-place edits). */
  onCancelShortcut?: () => void;
  className?: string;
}

/**
 * Write / Preview: the textarea keeps the id and aria attributes a surrounding <Field> passes, so the label
 * still names it. The preview renders exactly what the page will show.
 */
export function MarkdownEditor({
  value,
  onChange,
  onSubmitShortcut,
  onCancelShortcut,
  className,
  rows = 6,
  ...textareaProps
}: MarkdownEditorProps) {
  const [mode, setMode] = useState<"write" | "preview">("write");
  const previewId = useId();
  return (
    <div className={cn("grid gap-1.5", className)}>
      <fieldset className="flex items-center gap-1 text-xs">
        <legend className="sr-only">Editor mode</legend>
        {(["write", "preview"] as const).map((item) => (
          <button
            key={item}
            type="button"
            aria-pressed={mode === item}
            aria-controls={item === "preview" ? previewId : undefined}
            onClick={() => setMode(item)}
            className={cn(
              "inline-flex h-6 cursor-pointer items-center gap-1 rounded-md px-2 font-medium text-muted-foreground transition-colors hover:text-foreground",
              mode === item && "bg-muted text-foreground",
            )}
          >
            {item === "write" ? (
              <Pencil aria-hidden className="size-3" />
            ) : (
              <Eye aria-hidden className="size-3" />
            )}
            {item === "write" ? "Write" : "Preview"}
          </button>
        ))}
        <span className="ml-auto text-muted-foreground">Markdown supported</span>
      </fieldset>
      {mode === "write" ? (
        <Textarea
          rows={rows}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.metaKey || event.ctrlKey) && onSubmitShortcut) {
              event.preventDefault();
              onSubmitShortcut();
            } else if (event.key === "Escape" && onCancelShortcut) {
              event.preventDefault();
              onCancelShortcut();
            }
          }}
          className="font-mono text-[13px]"
          {...textareaProps}
        />
      ) : (
        <div id={previewId} className="min-h-16 rounded-md border bg-muted/20 px-3 py-2">
          {value.trim() ? (
            <Markdown>{value}</Markdown>
          ) : (
            <p className="text-sm text-muted-foreground italic">Nothing to preview.</p>
          )}
        </div>
      )}
    </div>
  );
}

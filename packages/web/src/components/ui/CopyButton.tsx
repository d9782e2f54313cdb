import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { copyTextToClipboard } from "@/plugin-ui/clipboard";
import { Button, type ButtonProps, IconButton } from "./Button";
import { toast } from "./Toast";

export interface CopyButtonProps extends Omit<ButtonProps, "onClick" | "children" | "value"> {
  /** The text put on the clipboard. */
  value: string;
  /** The accessible name (and visible label unless `iconOnly`). */
  label?: string;
  iconOnly?: boolean;
}

/** Copies `value` to the clipboard; the icon turns into a check for a moment ("Copied" for screen readers). */
export function CopyButton({
  value,
  label = "Copy",
  iconOnly = false,
  variant,
  size,
  ...props
}: CopyButtonProps) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    copyTextToClipboard(value).then(
      () => setCopied(true),
      (error: unknown) => toast.error("Could not copy", error),
    );
  };
  const icon = copied ? <Check aria-hidden className="text-success" /> : <Copy aria-hidden />;
  if (iconOnly) {
    return (
      <IconButton
        label={copied ? "Copied" : label}
        icon={icon}
        variant={variant ?? "ghost"}
        size={size ?? "icon-sm"}
        onClick={copy}
        {...props}
      />
    );
  }
  return (
    <Button variant={variant ?? "outline"} size={size} onClick={copy} {...props}>
      {icon}
      {copied ? "Copied" : label}
    </Button>
  );
}

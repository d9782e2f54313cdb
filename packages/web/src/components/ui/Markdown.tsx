// Markdown (GitHub flavoured) for descriptions, comments and documents. Import it from this file directly,
// not from the ui barrel: react-markdown is sizeable and belongs in the chunks of pages that render Markdown.
// Raw HTML in the source is not rendered (react-markdown's default), so user text cannot inject markup.

import type { ComponentProps } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/cn";

const components: Components = {
  a: ({ node: _node, href, ...props }) => {
    const external = typeof href === "string" && /^https?:\/\//.test(href);
    return (
      <a
        href={href}
        {...(external ? { target: "_blank", rel: "noreferrer noopener" } : {})}
        className="font-medium text-info underline decoration-info/40 underline-offset-2 hover:decoration-info"
        {...props}
      />
    );
  },
  table: ({ node: _node, ...props }) => (
    <div className="my-3 overflow-x-auto rounded-lg border scrollbar-thin">
      <table className="w-full border-collapse text-sm" {...props} />
    </div>
  ),
  input: ({ node: _node, ...props }) => <input {...props} disabled className="mr-1.5 align-middle" />,
};

const proseClasses = [
  "text-sm leading-relaxed break-words",
  "[&>*:first-child]:mt-0 [&>*:last-child]:mb-0",
  "[&_p]:my-2.5",
  "[&_h1]:mt-5 [&_h1]:mb-2 [&_h1]:text-xl [&_h1]:font-semibold",
  "[&_h2]:mt-5 [&_h2]:mb-2 [&_h2]:text-lg [&_h2]:font-semibold",
  "[&_h3]:mt-4 [&_h3]:mb-1.5 [&_h3]:text-base [&_h3]:font-semibold",
  "[&_h4]:mt-3 [&_h4]:mb-1 [&_h4]:font-semibold",
  "[&_ul]:my-2.5 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-2.5 [&_ol]:list-decimal [&_ol]:pl-5 [&_li]:my-0.5",
  "[&_li:has(>input)]:list-none [&_ul:has(>li>input)]:pl-1",
  "[&_blockquote]:my-3 [&_blockquote]:border-l-2 [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground",
  "[&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_code]:py-0.5 [&_code]:font-mono [&_code]:text-[0.85em]",
  "[&_pre]:my-3 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:border [&_pre]:bg-muted/60 [&_pre]:p-3 [&_pre]:scrollbar-thin",
  "[&_pre_code]:bg-transparent [&_pre_code]:p-0",
  "[&_hr]:my-4 [&_hr]:border-border",
  "[&_th]:border-b [&_th]:bg-muted/50 [&_th]:px-3 [&_th]:py-1.5 [&_th]:text-left [&_th]:font-medium",
  "[&_td]:border-b [&_td]:px-3 [&_td]:py-1.5 [&_tr:last-child_td]:border-0",
  "[&_img]:max-w-full [&_img]:rounded-md",
].join(" ");

export function Markdown({
  children,
  className,
  ...props
}: { children: string; className?: string } & Omit<ComponentProps<"div">, "children">) {
  return (
    <div className={cn(proseClasses, className)} {...props}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
}

export default Markdown;

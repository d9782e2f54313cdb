// MarkdownBlock and MarkdownEditor for the bridge, loaded on first render: react-markdown is the largest piece of
// the shared components, and most pages never show plugin markdown, so it stays out of the board's first load.
import type { MarkdownBlockProps, MarkdownEditorProps } from "@paperclipai/plugin-sdk/ui";
import { lazy, Suspense } from "react";
import { Spinner } from "./basic.js";

const LazyBlock = lazy(() => import("./markdown.js").then((module) => ({ default: module.MarkdownBlock })));
const LazyEditor = lazy(() => import("./markdown.js").then((module) => ({ default: module.MarkdownEditor })));

export function MarkdownBlock(props: MarkdownBlockProps) {
  return (
    <Suspense fallback={<Spinner />}>
      <LazyBlock {...props} />
    </Suspense>
  );
}

export function MarkdownEditor(props: MarkdownEditorProps) {
  return (
    <Suspense fallback={<Spinner />}>
      <LazyEditor {...props} />
    </Suspense>
  );
}

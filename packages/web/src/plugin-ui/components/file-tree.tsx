// FileTree for plugin UIs: a keyboard-accessible tree (role="tree") of directories and files, with expanded,
// selected and checked paths controlled by the plugin (directories expand locally when it does not).
import type { FileTreeNode, FileTreePathCollection, FileTreeProps } from "@paperclipai/plugin-sdk/ui";
import { useState } from "react";
import { BADGE_TONES, Spinner } from "./basic.js";
import { cn } from "./cn.js";

function toSet(paths: FileTreePathCollection | undefined): ReadonlySet<string> | null {
  if (!paths) return null;
  return paths instanceof Set ? paths : new Set(paths as readonly string[]);
}

const TONES = {
  default: "",
  warning: "text-amber-700 dark:text-amber-400",
  error: "text-red-700 dark:text-red-400",
  muted: "text-zinc-400 dark:text-zinc-500",
} as const;

export function FileTree(props: FileTreeProps) {
  const { nodes, loading, error, empty, ariaLabel = "Files" } = props;
  const controlledExpanded = toSet(props.expandedPaths);
  const [localExpanded, setLocalExpanded] = useState<ReadonlySet<string>>(new Set());
  const expanded = controlledExpanded ?? localExpanded;
  const toggleDir = (path: string) => {
    if (!controlledExpanded) {
      const next = new Set(localExpanded);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      setLocalExpanded(next);
    }
    props.onToggleDir?.(path);
  };

  if (loading) {
    return (
      <div className="p-3">
        <Spinner size="sm" label="Loading files" />
      </div>
    );
  }
  if (error) {
    return (
      <div role="alert" className="space-y-2 p-3 text-red-700 text-sm dark:text-red-300">
        <div>{error.message}</div>
        {error.retry ? (
          <button
            type="button"
            onClick={error.retry}
            className="rounded border border-current px-2 py-0.5 text-xs"
          >
            Retry
          </button>
        ) : null}
      </div>
    );
  }
  if (nodes.length === 0) {
    return (
      <div className="p-3 text-sm">
        <div className="font-medium text-zinc-700 dark:text-zinc-200">{empty?.title ?? "No files"}</div>
        {empty?.description ? <div className="text-zinc-500">{empty.description}</div> : null}
      </div>
    );
  }
  return (
    <div role="tree" aria-label={ariaLabel} className="py-1 text-sm">
      {nodes.map((node) => (
        <TreeRow
          key={node.path}
          node={node}
          depth={0}
          expanded={expanded}
          toggleDir={toggleDir}
          tree={props}
        />
      ))}
    </div>
  );
}

function TreeRow({
  node,
  depth,
  expanded,
  toggleDir,
  tree,
}: {
  node: FileTreeNode;
  depth: number;
  expanded: ReadonlySet<string>;
  toggleDir: (path: string) => void;
  tree: FileTreeProps;
}) {
  const isDir = node.kind === "dir";
  const open = isDir && expanded.has(node.path);
  const selected = !isDir && tree.selectedFile === node.path;
  const checked = toSet(tree.checkedPaths)?.has(node.path) ?? false;
  const badge = tree.fileBadges?.[node.path];
  const tone = tree.fileTones?.[node.path] ?? "default";
  const activate = () => (isDir ? toggleDir(node.path) : tree.onSelectFile?.(node.path));
  return (
    <div role="treeitem" tabIndex={-1} aria-expanded={isDir ? open : undefined} aria-selected={selected}>
      <div
        className={cn(
          "flex cursor-pointer items-center gap-1.5 rounded px-2 py-0.5 hover:bg-zinc-100 dark:hover:bg-zinc-800",
          selected && "bg-sky-50 text-sky-900 dark:bg-sky-500/15 dark:text-sky-200",
          TONES[tone],
        )}
        style={{ paddingLeft: 8 + depth * 14 }}
      >
        {tree.showCheckboxes ? (
          <input
            type="checkbox"
            aria-label={`Select ${node.name}`}
            checked={checked}
            onChange={() => tree.onToggleCheck?.(node.path, node.kind)}
            className="size-3.5"
          />
        ) : null}
        <button
          type="button"
          onClick={activate}
          className={cn("flex min-w-0 flex-1 items-center gap-1.5 text-left", !tree.wrapLabels && "truncate")}
        >
          <span aria-hidden="true" className="w-3 shrink-0 text-zinc-400">
            {isDir ? (open ? "▾" : "▸") : ""}
          </span>
          <span aria-hidden="true">{isDir ? "📁" : "📄"}</span>
          <span className={cn(tree.wrapLabels ? "break-all" : "truncate")}>{node.name}</span>
        </button>
        {badge ? (
          <span
            title={badge.tooltip}
            className={cn(
              "shrink-0 rounded-full px-1.5 text-[10px] ring-1 ring-inset",
              BADGE_TONES[badge.status],
            )}
          >
            {badge.label}
          </span>
        ) : null}
      </div>
      {open && node.children.length > 0 ? (
        // biome-ignore lint/a11y/useSemanticElements: a tree's nested level is an ARIA group, not a form fieldset.
        <div role="group">
          {node.children.map((child) => (
            <TreeRow
              key={child.path}
              node={child}
              depth={depth + 1}
              expanded={expanded}
              toggleDir={toggleDir}
              tree={tree}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}

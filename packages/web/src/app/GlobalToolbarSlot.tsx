import { Children, type ReactNode } from "react";

/**
 * The top bar's right-hand area for global actions: plugin `globalToolbarButton` launchers mount here
 * (render them as children of this component in TopBar). It renders nothing at all while it has nothing to
 * show, and collapses (CSS :empty) when its children render nothing, so an empty slot never leaves a gap.
 */
export function GlobalToolbarSlot({ children }: { children?: ReactNode }) {
  if (Children.count(children) === 0) return null;
  return (
    <div role="toolbar" aria-label="Global actions" className="flex items-center gap-2 empty:hidden">
      {children}
    </div>
  );
}

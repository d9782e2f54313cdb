import { type ReactNode, useEffect } from "react";
import { type Crumb, useSetBreadcrumbs } from "@/app/breadcrumbs";
import { useOptionalCompany } from "@/app/CompanyContext";
import { cn } from "@/lib/cn";

export interface PageProps {
  /** The page's h1 and document title. */
  title: ReactNode;
  /** Plain-text title when `title` is not a string (document title, last breadcrumb). */
  titleText?: string;
  description?: ReactNode;
  /** Buttons at the right of the header (primary action last). */
  actions?: ReactNode;
  /** Top-bar trail. Default: just the title. The company is not included (the sidebar shows it). */
  breadcrumbs?: Crumb[];
  /** Above the title: status badges, an identifier… */
  eyebrow?: ReactNode;
  /** Content width: "default" for lists and detail pages, "wide" for dashboards and tables, "narrow" for forms. */
  width?: "narrow" | "default" | "wide" | "full";
  /** Hide the header (the page draws its own) but still set title and breadcrumbs. */
  hideHeader?: boolean;
  className?: string;
  children: ReactNode;
}

const widths = {
  narrow: "max-w-3xl",
  default: "max-w-5xl",
  wide: "max-w-7xl",
  full: "max-w-none",
};

/**
 * Every page renders inside <Page>: it sets the document title and the top bar's breadcrumbs, draws the
 * header (title, description, actions) and gives the content the standard width and padding.
 */
export function Page({
  title,
  titleText,
  description,
  actions,
  breadcrumbs,
  eyebrow,
  width = "default",
  hideHeader = false,
  className,
  children,
}: PageProps) {
  const company = useOptionalCompany();
  const text = titleText ?? (typeof title === "string" ? title : "");
  useSetBreadcrumbs(breadcrumbs ?? (text ? [{ label: text }] : []));
  useEffect(() => {
    document.title = [text, company?.name, "Paperclip"].filter(Boolean).join(" · ");
  }, [text, company?.name]);

  return (
    <div className={cn("mx-auto w-full px-4 py-6 sm:px-6 lg:px-8", widths[width], className)}>
      {hideHeader ? null : (
        <PageHeader title={title} description={description} actions={actions} eyebrow={eyebrow} />
      )}
      {children}
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  eyebrow,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  eyebrow?: ReactNode;
  className?: string;
}) {
  return (
    <header className={cn("mb-6 flex flex-wrap items-start gap-x-4 gap-y-3", className)}>
      <div className="min-w-0 flex-1">
        {eyebrow ? <div className="mb-1.5 flex flex-wrap items-center gap-2">{eyebrow}</div> : null}
        <h1 className="text-xl font-semibold tracking-tight text-balance">{title}</h1>
        {description ? <p className="mt-1 text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </header>
  );
}

/** A titled block inside a page. */
export function PageSection({
  title,
  description,
  actions,
  className,
  children,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={cn("mb-8", className)}>
      {title || actions ? (
        <div className="mb-3 flex items-end gap-3">
          <div className="min-w-0 flex-1">
            {title ? <h2 className="text-sm font-semibold">{title}</h2> : null}
            {description ? <p className="mt-0.5 text-xs text-muted-foreground">{description}</p> : null}
          </div>
          {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}

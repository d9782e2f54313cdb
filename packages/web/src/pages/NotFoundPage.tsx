import { Compass } from "lucide-react";
import { Link } from "react-router";
import { useOptionalCompany } from "@/app/CompanyContext";
import { paths } from "@/app/paths";
import { Page } from "@/components/layout/Page";
import { Button, EmptyState } from "@/components/ui";

/**
 * Unknown URLs. Inside a company it renders in the shell and links to the company's dashboard; `standalone`
 * (unknown company prefix) renders without the shell and links to `/`.
 */
export function NotFoundPage({ standalone = false, title }: { standalone?: boolean; title?: string }) {
  const company = useOptionalCompany();
  const home = company ? paths.dashboard(company.issuePrefix) : paths.home();
  const content = (
    <EmptyState
      icon={<Compass />}
      title={title ?? "This page does not exist"}
      description="The link may be old, or the item may have been deleted or renamed."
      action={
        <Button asChild variant="outline">
          <Link to={home}>{company ? `Back to ${company.name}` : "Back to the board"}</Link>
        </Button>
      }
    />
  );
  if (standalone) {
    return <main className="flex min-h-dvh items-center justify-center p-6">{content}</main>;
  }
  return (
    <Page title="Not found" hideHeader>
      <div className="flex min-h-[60vh] items-center justify-center">{content}</div>
    </Page>
  );
}

export default NotFoundPage;

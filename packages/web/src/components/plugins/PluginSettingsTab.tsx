// The Settings tab: config is stored per company, so a company selector (kept in `?company=<prefix>`) comes
// first; then the plugin's own settings page if it has one (PluginSettingsSlot), else the form generated from
// `instanceConfigSchema` (lazy-loaded with @rjsf).
import type { RJSFSchema } from "@rjsf/utils";
import { Settings2 } from "lucide-react";
import { lazy, Suspense } from "react";
import { useSearchParams } from "react-router";
import { useCompanies } from "@/api/companies";
import { type PluginDetail, usePluginConfig } from "@/api/plugins";
import { lastCompanyPrefix } from "@/app/lastCompany";
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  Field,
  QueryView,
  Select,
  Skeleton,
} from "@/components/ui";
import { PluginSettingsSlot } from "./PluginSettingsSlot";

const PluginConfigForm = lazy(() => import("./config-form/PluginConfigForm"));

export function PluginSettingsTab({ plugin }: { plugin: PluginDetail }) {
  const companies = useCompanies();
  const [searchParams, setSearchParams] = useSearchParams();
  const schema = plugin.manifestJson?.instanceConfigSchema as RJSFSchema | undefined;

  return (
    <QueryView
      query={companies}
      loading={<Skeleton className="h-40 w-full" />}
      empty={
        <EmptyState
          compact
          icon={<Settings2 />}
          title="No companies yet"
          description="Plugin settings are stored per company. Create a company first."
        />
      }
    >
      {(list) => {
        const wanted = searchParams.get("company") ?? lastCompanyPrefix();
        const company = list.find((item) => item.issuePrefix === wanted) ?? list[0]!;
        const selectCompany = (prefix: string) =>
          setSearchParams(
            (previous) => {
              const next = new URLSearchParams(previous);
              next.set("company", prefix);
              return next;
            },
            { replace: true, preventScrollReset: true },
          );
        return (
          <Card>
            <CardHeader className="flex-wrap items-end gap-4 border-b pb-4">
              <div className="min-w-0 flex-1">
                <CardTitle>Settings</CardTitle>
                <CardDescription>
                  Each company has its own configuration of this plugin. Secrets are chosen from the company's
                  secrets.
                </CardDescription>
              </div>
              <Field label="Company" className="w-64">
                <Select
                  value={company.issuePrefix}
                  onValueChange={selectCompany}
                  options={list.map((item) => ({
                    value: item.issuePrefix,
                    label: (
                      <>
                        {item.name}
                        <span className="font-mono text-xs text-muted-foreground">{item.issuePrefix}</span>
                      </>
                    ),
                  }))}
                />
              </Field>
            </CardHeader>
            <CardContent className="pt-5">
              <PluginSettingsSlot plugin={plugin} company={company}>
                {schema && typeof schema === "object" && Object.keys(schema).length > 0 ? (
                  <ConfigFormLoader key={company.id} plugin={plugin} schema={schema} company={company} />
                ) : (
                  <EmptyState
                    compact
                    icon={<Settings2 />}
                    title="Nothing to configure"
                    description="This plugin's manifest declares no instanceConfigSchema, so it takes no settings."
                  />
                )}
              </PluginSettingsSlot>
            </CardContent>
          </Card>
        );
      }}
    </QueryView>
  );
}

function ConfigFormLoader({
  plugin,
  schema,
  company,
}: {
  plugin: PluginDetail;
  schema: RJSFSchema;
  company: { id: string; name: string };
}) {
  const config = usePluginConfig(plugin.id, company.id);
  const loading = (
    <div className="grid gap-4">
      <Skeleton className="h-4 w-32" />
      <Skeleton className="h-8 w-full" />
      <Skeleton className="h-4 w-40" />
      <Skeleton className="h-8 w-full" />
    </div>
  );
  return (
    <QueryView query={config} loading={loading} compact errorTitle="Could not load the settings">
      {(saved) => (
        <Suspense fallback={loading}>
          <PluginConfigForm plugin={plugin} schema={schema} company={company} saved={saved} />
        </Suspense>
      )}
    </QueryView>
  );
}

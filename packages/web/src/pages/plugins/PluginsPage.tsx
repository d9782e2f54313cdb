// /instance/settings/plugins: every installed plugin with its status, version and quick actions, and the
// "Install plugin" dialog (npm spec or local folder, with the host's progress stream).
import { Download, Puzzle } from "lucide-react";
import { useState } from "react";
import { Link } from "react-router";
import { usePlugins } from "@/api/plugins";
import { paths } from "@/app/paths";
import { Page } from "@/components/layout/Page";
import { InstallPluginDialog } from "@/components/plugins/InstallPluginDialog";
import { PluginActions } from "@/components/plugins/PluginActions";
import { PluginStatusBadge } from "@/components/plugins/PluginStatus";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  QueryView,
  RelativeTime,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui";
import { humanize } from "@/lib/format";

export default function PluginsPage() {
  const plugins = usePlugins();
  const [installing, setInstalling] = useState(false);
  const installButton = (
    <Button onClick={() => setInstalling(true)}>
      <Download aria-hidden />
      Install plugin
    </Button>
  );
  return (
    <Page
      title="Plugins"
      description="Extensions installed on this instance: their status, version, settings and operations."
      breadcrumbs={[{ label: "Instance settings" }, { label: "Plugins" }]}
      actions={installButton}
      width="wide"
    >
      <Card className="overflow-hidden">
        <QueryView
          query={plugins}
          empty={
            <EmptyState
              icon={<Puzzle />}
              title="No plugins installed"
              description="Install one from npm or from a folder on this machine; it shows up here with its status."
              action={installButton}
            />
          }
        >
          {(list) => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Plugin</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Version</TableHead>
                  <TableHead className="hidden md:table-cell">Source</TableHead>
                  <TableHead className="hidden lg:table-cell">Categories</TableHead>
                  <TableHead className="hidden sm:table-cell text-right">Updated</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.map((plugin) => (
                  <TableRow key={plugin.id}>
                    <TableCell className="max-w-md">
                      <Link to={paths.plugin(plugin.id)} className="font-medium hover:underline">
                        {plugin.manifestJson?.displayName || plugin.pluginKey}
                      </Link>
                      <p className="font-mono text-xs text-muted-foreground">{plugin.pluginKey}</p>
                      {plugin.manifestJson?.description ? (
                        <p className="mt-0.5 line-clamp-1 text-xs text-muted-foreground">
                          {plugin.manifestJson.description}
                        </p>
                      ) : null}
                    </TableCell>
                    <TableCell>
                      <PluginStatusBadge plugin={plugin} />
                    </TableCell>
                    <TableCell className="font-mono text-xs">v{plugin.version}</TableCell>
                    <TableCell className="hidden md:table-cell">
                      <Badge tone="outline">
                        {plugin.installSpec?.isLocalPath || plugin.packagePath ? "Local folder" : "npm"}
                      </Badge>
                    </TableCell>
                    <TableCell className="hidden lg:table-cell">
                      <div className="flex flex-wrap gap-1">
                        {plugin.categories.map((category) => (
                          <Badge key={category} tone="outline">
                            {humanize(category)}
                          </Badge>
                        ))}
                      </div>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell text-right text-xs text-muted-foreground">
                      <RelativeTime date={plugin.updatedAt} />
                    </TableCell>
                    <TableCell className="w-10 text-right">
                      <PluginActions plugin={plugin} layout="menu" />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </QueryView>
      </Card>
      <InstallPluginDialog open={installing} onOpenChange={setInstalling} />
    </Page>
  );
}

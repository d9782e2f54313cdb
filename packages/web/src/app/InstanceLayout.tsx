import { Outlet } from "react-router";
import { AppShell } from "./AppShell";
import { InstanceSidebar } from "./Sidebar";

/** The layout of `/instance/settings/...`: instance-wide settings such as plugins (no company prefix). */
export function InstanceLayout() {
  return (
    <AppShell sidebar={<InstanceSidebar />}>
      <Outlet />
    </AppShell>
  );
}

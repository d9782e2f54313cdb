// The data round trip of entity surfaces: the worker's `context` data key echoes the entity the UI asked
// about and the render environment the bridge added, so a test can check both ends saw the same context.
import { KeyValueList, Spinner, StatusBadge, usePluginData } from "@paperclipai/plugin-sdk/ui";
import { JsonResult, NONE } from "./card.js";

interface ContextEcho {
  companyId: string | null;
  entityId: string | null;
  entityType: string | null;
  renderEnvironment: unknown;
}

export function EntityEcho({
  entityId,
  entityType,
  showEnvironment = false,
}: {
  entityId: string | null;
  entityType: string | null;
  showEnvironment?: boolean;
}) {
  const echo = usePluginData<ContextEcho>("context", { entityId, entityType });
  if (echo.error) return <StatusBadge label={echo.error.message} status="error" />;
  if (!echo.data) return <Spinner size="sm" label="Asking the worker" />;
  return (
    <div data-testid="ks-echo">
      <KeyValueList
        pairs={[
          { label: "worker saw companyId", value: echo.data.companyId ?? NONE },
          { label: "worker saw entityType", value: echo.data.entityType ?? NONE },
          { label: "worker saw entityId", value: echo.data.entityId ?? NONE },
        ]}
      />
      <span data-testid="ks-echo-entityId" hidden>
        {echo.data.entityId ?? NONE}
      </span>
      {showEnvironment ? (
        <JsonResult testId="ks-echo-renderEnvironment" value={echo.data.renderEnvironment} />
      ) : null}
    </div>
  );
}

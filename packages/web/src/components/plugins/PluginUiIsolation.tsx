// The "UI isolation" tab of a plugin: how the board mounts its UI — imported into the board (same-origin, full
// trust) or in a sandboxed frame that cannot read the board's cookies or page nor call the API as the user
// (docs/plugin-ui-sandbox.md). The instance admin picks one, or leaves it to the plugin's own hint.
import { Info, ShieldCheck, ShieldOff, TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import type { PluginDetail } from "@/api/plugins";
import {
  type UiIsolationMode,
  type UiIsolationState,
  useSetUiIsolation,
  useUiIsolation,
} from "@/api/ui-isolation";
import {
  Badge,
  Card,
  CardAction,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  QueryView,
  RelativeTime,
  Skeleton,
  toast,
} from "@/components/ui";
import { cn } from "@/lib/cn";

type Choice = "default" | UiIsolationMode;

const MODE_LABEL: Record<UiIsolationMode, string> = { "same-origin": "Same-origin", sandboxed: "Sandboxed" };

function choiceOf(state: UiIsolationState): Choice {
  return state.operatorMode ?? "default";
}

export function PluginUiIsolation({ plugin }: { plugin: PluginDetail }) {
  const entrypoints = plugin.manifestJson?.entrypoints as { ui?: unknown } | undefined;
  const hasUi = typeof entrypoints?.ui === "string";
  const isolation = useUiIsolation(plugin.id);
  if (!hasUi) {
    return (
      <Card>
        <EmptyState
          compact
          icon={<ShieldCheck />}
          title="This plugin has no UI"
          description="It declares no entrypoints.ui, so the board mounts nothing of it and there is nothing to isolate."
        />
      </Card>
    );
  }
  return (
    <QueryView query={isolation} loading={<Skeleton className="h-64 w-full" />}>
      {(state) => <IsolationCard plugin={plugin} state={state} />}
    </QueryView>
  );
}

function IsolationCard({ plugin, state }: { plugin: PluginDetail; state: UiIsolationState }) {
  const setIsolation = useSetUiIsolation(plugin.id);
  // While a choice is being saved it shows as chosen; a failure puts the saved one back.
  const current: Choice = setIsolation.isPending ? (setIsolation.variables ?? "default") : choiceOf(state);
  const pluginDefault = state.pluginHint ?? "same-origin";
  const choose = (choice: Choice) => {
    if (choice === current || setIsolation.isPending) return;
    setIsolation.mutate(choice === "default" ? null : choice, {
      onSuccess: (next) =>
        toast.success(
          `UI isolation: ${MODE_LABEL[next.mode].toLowerCase()}`,
          "Open pages remount the plugin's UI in the new mode.",
        ),
    });
  };

  return (
    <Card>
      <CardHeader className="border-b pb-4">
        {state.mode === "sandboxed" ? (
          <ShieldCheck
            aria-hidden
            className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400"
          />
        ) : (
          <ShieldOff aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
        )}
        <div className="min-w-0">
          <CardTitle id="ui-isolation-title">UI isolation</CardTitle>
          <CardDescription>How the board mounts this plugin's slots and launchers.</CardDescription>
        </div>
        <CardAction>
          <Badge tone={state.mode === "sandboxed" ? "success" : "neutral"} data-testid="ui-isolation-mode">
            {MODE_LABEL[state.mode]}
          </Badge>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-4 pt-4">
        <div role="radiogroup" aria-labelledby="ui-isolation-title" className="grid gap-2">
          <Option
            value="default"
            current={current}
            disabled={setIsolation.isPending}
            onChoose={choose}
            title={`Plugin default (${MODE_LABEL[pluginDefault].toLowerCase()})`}
          >
            {state.pluginHint
              ? `The plugin asks to be mounted ${MODE_LABEL[state.pluginHint].toLowerCase()} in its package.json.`
              : "The plugin does not ask for a mode, so it is mounted same-origin, as in Paperclip."}
          </Option>
          <Option
            value="same-origin"
            current={current}
            disabled={setIsolation.isPending}
            onChoose={choose}
            title="Same-origin"
          >
            The UI bundle runs inside the board with your session: it can read the page and call the API as
            you. For plugins you trust.
          </Option>
          <Option
            value="sandboxed"
            current={current}
            disabled={setIsolation.isPending}
            onChoose={choose}
            title="Sandboxed"
          >
            The UI runs in an isolated frame that cannot read the board's cookies or page, nor call the API as
            you. It reaches the host only through the board's bridge, for this plugin and the company on
            screen.
          </Option>
        </div>
        {state.pluginHintProblem ? (
          <p className="flex items-start gap-2 rounded-md border border-amber-500/30 bg-amber-500/10 px-3 py-2 text-xs text-amber-900 dark:text-amber-200">
            <TriangleAlert aria-hidden className="mt-px size-3.5 shrink-0" />
            <span className="break-words">{state.pluginHintProblem}</span>
          </p>
        ) : null}
        <p className="flex items-start gap-2 text-xs text-muted-foreground">
          <Info aria-hidden className="mt-px size-3.5 shrink-0" />
          <span>
            {state.source === "operator" && state.updatedAt ? (
              <>
                Chosen by {state.updatedBy ?? "an instance admin"} <RelativeTime date={state.updatedAt} />.{" "}
              </>
            ) : null}
            Sandboxed frames size themselves to their content; menus and popovers a plugin draws stay inside
            its frame.
          </span>
        </p>
      </CardContent>
    </Card>
  );
}

function Option({
  value,
  current,
  disabled,
  onChoose,
  title,
  children,
}: {
  value: Choice;
  current: Choice;
  disabled: boolean;
  onChoose(choice: Choice): void;
  title: string;
  children: ReactNode;
}) {
  const checked = value === current;
  return (
    <label
      className={cn(
        "flex cursor-pointer items-start gap-3 rounded-lg border px-3 py-2.5 transition-colors hover:bg-muted/50",
        checked && "border-primary/60 bg-primary/5 hover:bg-primary/5",
        disabled && "cursor-wait opacity-70",
      )}
    >
      <input
        type="radio"
        name="ui-isolation"
        value={value}
        checked={checked}
        disabled={disabled}
        onChange={() => onChoose(value)}
        className="mt-0.5 size-4 shrink-0 accent-primary"
      />
      <span className="grid gap-0.5">
        <span className="text-sm font-medium">{title}</span>
        <span className="text-xs text-muted-foreground">{children}</span>
      </span>
    </label>
  );
}

// The per-company plugin config form, generated from the manifest's `instanceConfigSchema` by
// react-jsonschema-form in the board's look (./theme). The host is the validator: "Save" and "Test
// configuration" send the values and the server's `fieldErrors` (JSON pointers) land on their fields. Default
// export: the settings tab lazy-loads this file so @rjsf stays out of every other chunk.
import Form from "@rjsf/core";
import type { ErrorSchema, RJSFSchema, UiSchema } from "@rjsf/utils";
import { customizeValidator } from "@rjsf/validator-ajv8";
import { CircleCheck, CircleX, FlaskConical, Info, RotateCcw, Save, Trash2 } from "lucide-react";
import { type FormEvent, useMemo, useRef, useState } from "react";
import { errorMessage } from "@/api/client";
import {
  type ConfigFieldError,
  type ConfigTestResult,
  configFieldErrors,
  type PluginConfig,
  type PluginDetail,
  useDeletePluginConfig,
  useSavePluginConfig,
  useTestPluginConfig,
} from "@/api/plugins";
import { Button, ConfirmDialog, RelativeTime, toast } from "@/components/ui";
import { cn } from "@/lib/cn";
import { type ConfigFormContext, SecretRefField, SecretRefWidget } from "./SecretRefWidget";
import { templates, widgets } from "./theme";

type Config = Record<string, unknown>;

// `secret-ref` is the host's own format (plugins/config/schema.ts); anything else unknown is left to the host.
const validator = customizeValidator({ customFormats: { "secret-ref": () => true } });
const fields = { secretRef: SecretRefField };
const allWidgets = { ...widgets, secretRef: SecretRefWidget };

export interface PluginConfigFormProps {
  plugin: PluginDetail;
  schema: RJSFSchema;
  company: { id: string; name: string };
  saved: PluginConfig | null;
}

export default function PluginConfigForm({ plugin, schema, company, saved }: PluginConfigFormProps) {
  const [formData, setFormData] = useState<Config>(() => (saved?.configJson as Config | undefined) ?? {});
  const [serverErrors, setServerErrors] = useState<ConfigFieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<ConfigTestResult | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  /** What was sent when the server's errors came back: a field edited since then drops its error. */
  const sent = useRef<Config>({});
  const save = useSavePluginConfig(plugin.id);
  const test = useTestPluginConfig(plugin.id);
  const remove = useDeletePluginConfig(plugin.id, { silent: true });
  const uiSchema = useMemo(() => uiSchemaFor(schema), [schema]);
  const context: ConfigFormContext = { companyId: company.id, companyName: company.name };
  const extraErrors = useMemo(() => toErrorSchema(serverErrors), [serverErrors]);
  /** rjsf fills in schema defaults on its own; only a change the user made (rjsf passes its field id) counts. */
  const [edited, setEdited] = useState(false);

  const fail = (error: unknown) => {
    const fieldErrors = configFieldErrors(error);
    setServerErrors(fieldErrors);
    const rootErrors = fieldErrors.filter((item) => item.field === "/" || item.field === "");
    setFormError(
      fieldErrors.length > rootErrors.length
        ? `Fix the ${plural(fieldErrors.length - rootErrors.length, "highlighted field")}: ${errorMessage(error)}`
        : errorMessage(error),
    );
    // Move to the first field with an error so keyboard and screen-reader users land on it.
    const first = fieldErrors.find((item) => item.field !== "/" && item.field !== "");
    if (first) {
      requestAnimationFrame(() => {
        document.getElementById(idForPointer(first.field))?.focus();
      });
    }
  };

  const onSave = () => {
    setTestResult(null);
    setFormError(null);
    sent.current = formData;
    save.mutate(
      { companyId: company.id, configJson: formData },
      {
        onSuccess: () => {
          setServerErrors([]);
          setEdited(false);
          toast.success(`Settings saved for ${company.name}`);
        },
        onError: fail,
      },
    );
  };

  const onTest = () => {
    setTestResult(null);
    setFormError(null);
    sent.current = formData;
    test.mutate(
      { companyId: company.id, configJson: formData },
      {
        onSuccess: (result) => {
          setServerErrors([]);
          setTestResult(result);
        },
        onError: fail,
      },
    );
  };

  const onChange = (next: Config, fieldId?: string) => {
    setFormData(next);
    if (fieldId) setEdited(true);
    if (serverErrors.length) {
      setServerErrors((errors) =>
        errors.filter(
          (item) =>
            JSON.stringify(atPointer(next, item.field)) ===
            JSON.stringify(atPointer(sent.current, item.field)),
        ),
      );
    }
  };

  return (
    <div className="grid gap-5">
      {saved?.lastError ? (
        <div
          role="alert"
          className="rounded-lg border border-destructive/30 bg-destructive/5 px-3 py-2.5 text-sm"
        >
          <p className="font-medium text-destructive">The saved settings are held back</p>
          <p className="mt-1 break-words text-muted-foreground">{saved.lastError}</p>
        </div>
      ) : null}

      <Form<Config, RJSFSchema, ConfigFormContext>
        schema={schema}
        uiSchema={uiSchema}
        formData={formData}
        formContext={context}
        validator={validator}
        templates={templates}
        widgets={allWidgets}
        fields={fields}
        extraErrors={extraErrors as ErrorSchema<Config>}
        idPrefix="config"
        noHtml5Validate
        noValidate
        showErrorList={false}
        onChange={(event, fieldId) => onChange((event.formData ?? {}) as Config, fieldId)}
        onSubmit={(_event, submitEvent?: FormEvent) => {
          submitEvent?.preventDefault();
          onSave();
        }}
        className="grid gap-5"
        aria-label={`Settings of ${plugin.manifestJson?.displayName || plugin.pluginKey} for ${company.name}`}
      >
        {formError ? (
          <p
            role="alert"
            className="rounded-lg border border-destructive/30 bg-destructive/5 px-3 py-2.5 text-sm text-destructive"
          >
            {formError}
          </p>
        ) : null}
        {testResult ? <TestOutcome result={testResult} /> : null}
        <div className="flex flex-wrap items-center gap-2 border-t pt-4">
          <Button type="submit" loading={save.isPending} disabled={test.isPending}>
            <Save aria-hidden />
            Save
          </Button>
          <Button
            type="button"
            variant="outline"
            onClick={onTest}
            loading={test.isPending}
            disabled={save.isPending}
          >
            <FlaskConical aria-hidden />
            Test configuration
          </Button>
          {edited ? (
            <Button
              type="button"
              variant="ghost"
              onClick={() => {
                setFormData((saved?.configJson as Config | undefined) ?? {});
                setEdited(false);
                setServerErrors([]);
                setFormError(null);
              }}
            >
              <RotateCcw aria-hidden />
              Discard changes
            </Button>
          ) : null}
          <span className="ml-auto text-xs text-muted-foreground">
            {saved ? (
              <>
                Saved <RelativeTime date={saved.updatedAt} />
              </>
            ) : (
              `Not configured for ${company.name} yet`
            )}
          </span>
          {saved ? (
            <Button
              type="button"
              variant="ghost"
              size="sm"
              className="text-destructive"
              onClick={() => setConfirmDelete(true)}
            >
              <Trash2 aria-hidden />
              Delete settings
            </Button>
          ) : null}
        </div>
      </Form>

      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={`Delete the settings for ${company.name}?`}
        description="The plugin then runs without a config for this company. Secrets stay; only the references go."
        confirmLabel="Delete settings"
        destructive
        onConfirm={async () => {
          await remove.mutateAsync({ companyId: company.id });
          setFormData({});
          setServerErrors([]);
          toast.success(`Settings deleted for ${company.name}`);
        }}
      />
    </div>
  );
}

function TestOutcome({ result }: { result: ConfigTestResult }) {
  const unsupported = result.supported === false;
  return (
    <div
      role="status"
      className={cn(
        "flex items-start gap-2 rounded-lg border px-3 py-2.5 text-sm",
        unsupported
          ? "bg-muted/40"
          : result.valid
            ? "border-success/30 bg-success/5"
            : "border-destructive/30 bg-destructive/5",
      )}
    >
      {unsupported ? (
        <Info aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      ) : result.valid ? (
        <CircleCheck aria-hidden className="mt-0.5 size-4 shrink-0 text-success" />
      ) : (
        <CircleX aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
      )}
      <div>
        <p className="font-medium">
          {unsupported
            ? "The values match the schema; the plugin has no check of its own"
            : result.valid
              ? "The plugin accepted this configuration"
              : "The plugin rejected this configuration"}
        </p>
        {result.message && !unsupported ? (
          <p className="mt-0.5 text-muted-foreground">{result.message}</p>
        ) : null}
      </div>
    </div>
  );
}

// ── schema helpers ────────────────────────────────────────────────────────────────────────────────────

type SchemaNode = Record<string, unknown>;

/** uiSchema for the host's conventions: `format: "secret-ref"` gets the secret picker. */
export function uiSchemaFor(schema: RJSFSchema): UiSchema {
  const walk = (node: unknown): UiSchema | undefined => {
    if (!node || typeof node !== "object") return undefined;
    const current = node as SchemaNode;
    if (current.format === "secret-ref") {
      return current.type === "object" ? { "ui:field": "secretRef" } : { "ui:widget": "secretRef" };
    }
    const ui: UiSchema = {};
    if (current.properties && typeof current.properties === "object") {
      const keys = Object.keys(current.properties as SchemaNode);
      if (keys.length > 1) ui["ui:order"] = fieldOrder(current, keys);
      for (const [key, child] of Object.entries(current.properties as SchemaNode)) {
        const childUi = walk(child);
        if (childUi) ui[key] = childUi;
      }
    }
    if (current.items && typeof current.items === "object" && !Array.isArray(current.items)) {
      const itemsUi = walk(current.items);
      if (itemsUi) ui.items = itemsUi;
    }
    return Object.keys(ui).length ? ui : undefined;
  };
  return walk(schema) ?? {};
}

/**
 * The host keeps manifests in JSONB, which does not keep the schema's property order (it sorts keys by length),
 * so the form orders fields itself: required fields first, in the order of `required`, then the rest by title.
 */
function fieldOrder(node: SchemaNode, keys: string[]): string[] {
  const required = Array.isArray(node.required)
    ? (node.required as unknown[]).filter((key): key is string => keys.includes(key as string))
    : [];
  const properties = node.properties as Record<string, { title?: unknown }>;
  const label = (key: string) =>
    typeof properties[key]?.title === "string" ? (properties[key].title as string) : key;
  const rest = keys.filter((key) => !required.includes(key)).sort((a, b) => label(a).localeCompare(label(b)));
  return [...required, ...rest];
}

const unescapePointer = (part: string) => part.replace(/~1/g, "/").replace(/~0/g, "~");
const pointerParts = (pointer: string) =>
  pointer
    .split("/")
    .slice(1)
    .filter((part) => part !== "")
    .map(unescapePointer);

/** `[{field: "/accounts/0/token", message}]` → `{accounts: {0: {token: {__errors: [message]}}}}`. */
export function toErrorSchema(errors: ConfigFieldError[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const { field, message } of errors) {
    let node = root;
    for (const part of pointerParts(field)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    const list = (node.__errors as string[] | undefined) ?? [];
    if (!list.includes(message)) list.push(message);
    node.__errors = list;
  }
  return root as ErrorSchema;
}

function atPointer(value: unknown, pointer: string): unknown {
  let node = value;
  for (const part of pointerParts(pointer)) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** rjsf's element id for a field: idPrefix + "_" + path parts. */
function idForPointer(pointer: string): string {
  return ["config", ...pointerParts(pointer)].join("_");
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

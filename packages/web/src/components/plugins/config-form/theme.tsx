// The board's look for react-jsonschema-form: templates and widgets built on the design system (Input, Textarea,
// Select, Button), with every label tied to its control (htmlFor/id) and the description and errors announced
// with it (aria-describedby = rjsf's ids). Only the plugin config form imports this (it is lazy-loaded).
import {
  type ArrayFieldItemTemplateProps,
  type ArrayFieldTemplateProps,
  ariaDescribedByIds,
  buttonId,
  type DescriptionFieldProps,
  descriptionId,
  enumOptionsDeselectValue,
  enumOptionsIsSelected,
  enumOptionsSelectValue,
  enumOptionsValueForIndex,
  errorId,
  type FieldTemplateProps,
  type FormContextType,
  getInputProps,
  getTemplate,
  getUiOptions,
  helpId,
  type ObjectFieldTemplateProps,
  optionId,
  type RegistryWidgetsType,
  type RJSFSchema,
  type IconButtonProps as RjsfIconButtonProps,
  type TemplatesType,
  type TitleFieldProps,
  titleId,
  type WidgetProps,
} from "@rjsf/utils";
import { ArrowDown, ArrowUp, Copy, Plus, Trash2, X } from "lucide-react";
import type { ChangeEvent, ReactNode } from "react";
import { Button, IconButton, Input, Select, Textarea } from "@/components/ui";
import { cn } from "@/lib/cn";

type Templates = Partial<Omit<TemplatesType, "ButtonTemplates">> & {
  ButtonTemplates?: Partial<TemplatesType["ButtonTemplates"]>;
};

const isComposite = (schema: RJSFSchema) => schema.type === "object" || schema.type === "array";
const hasErrors = (errors?: string[]) => Boolean(errors?.some(Boolean));

/** One field: label, control, description, errors — the same layout as the board's <Field>. */
function FieldTemplate(props: FieldTemplateProps) {
  const {
    id,
    label,
    children,
    rawErrors,
    rawDescription,
    rawHelp,
    hidden,
    required,
    displayLabel,
    schema,
    uiSchema,
    registry,
  } = props;
  if (hidden) return <div className="hidden">{children}</div>;
  const uiOptions = getUiOptions(uiSchema);
  const WrapIfAdditionalTemplate = getTemplate("WrapIfAdditionalTemplate", registry, uiOptions);
  const errors = (rawErrors ?? []).filter(Boolean);
  const secretRef = schema.format === "secret-ref";
  const checkbox = schema.type === "boolean" && uiOptions.widget !== "select" && uiOptions.widget !== "radio";
  // Objects and arrays draw their own legend and description; checkboxes put the label beside the box.
  const labelled = (displayLabel || secretRef) && !checkbox && (!isComposite(schema) || secretRef);
  return (
    <WrapIfAdditionalTemplate {...props}>
      <div className="grid gap-1.5" data-field={id}>
        {labelled ? (
          <label htmlFor={id} className="text-sm font-medium leading-none">
            {label}
            {required ? (
              <span aria-hidden className="ml-0.5 text-destructive">
                *
              </span>
            ) : null}
          </label>
        ) : null}
        {children}
        {labelled && rawDescription ? (
          <p id={descriptionId(id)} className="text-xs text-muted-foreground">
            {rawDescription}
          </p>
        ) : null}
        {errors.length > 0 ? (
          <ul id={errorId(id)} className="grid gap-0.5">
            {errors.map((error) => (
              <li key={error} className="text-xs font-medium text-destructive">
                {error}
              </li>
            ))}
          </ul>
        ) : null}
        {rawHelp ? (
          <p id={helpId(id)} className="text-xs text-muted-foreground">
            {rawHelp}
          </p>
        ) : null}
      </div>
    </WrapIfAdditionalTemplate>
  );
}

/** The form's top level is a plain stack; nested objects are titled, bordered groups. */
function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const {
    title,
    description,
    properties,
    fieldPathId,
    schema,
    uiSchema,
    formData,
    onAddProperty,
    disabled,
    readonly,
    registry,
  } = props;
  const root = fieldPathId.path.length === 0;
  const { AddButton } = registry.templates.ButtonTemplates;
  const canAdd =
    schema.additionalProperties !== undefined &&
    schema.additionalProperties !== false &&
    getUiOptions(uiSchema).expandable !== false &&
    !(
      schema.maxProperties !== undefined &&
      Object.keys((formData as object) ?? {}).length >= schema.maxProperties
    );
  const body = (
    <>
      {properties
        .filter((property) => !property.hidden)
        .map((property) => (
          <div key={property.name}>{property.content}</div>
        ))}
      {canAdd ? (
        <div>
          <AddButton
            id={buttonId(fieldPathId, "add")}
            onClick={onAddProperty}
            disabled={disabled || readonly}
            uiSchema={uiSchema}
            registry={registry}
          />
        </div>
      ) : null}
    </>
  );
  if (root) return <div className="grid gap-5">{body}</div>;
  return (
    <fieldset id={fieldPathId.$id} className="grid gap-4 rounded-lg border p-4">
      {title ? (
        <legend id={titleId(fieldPathId)} className="px-1 text-sm font-semibold">
          {title}
        </legend>
      ) : null}
      {description ? (
        <p id={descriptionId(fieldPathId)} className="-mt-2 text-xs text-muted-foreground">
          {description}
        </p>
      ) : null}
      {body}
    </fieldset>
  );
}

function ArrayFieldTemplate(props: ArrayFieldTemplateProps) {
  const {
    title,
    schema,
    uiSchema,
    items,
    canAdd,
    onAddClick,
    disabled,
    readonly,
    fieldPathId,
    registry,
    required,
  } = props;
  const description = getUiOptions(uiSchema).description ?? schema.description;
  const { AddButton } = registry.templates.ButtonTemplates;
  return (
    <fieldset id={fieldPathId.$id} className="grid gap-3 rounded-lg border p-4">
      <legend id={titleId(fieldPathId)} className="px-1 text-sm font-semibold">
        {(getUiOptions(uiSchema).title as string | undefined) ?? title}
        {required ? (
          <span aria-hidden className="ml-0.5 text-destructive">
            *
          </span>
        ) : null}
      </legend>
      {description ? (
        <p id={descriptionId(fieldPathId)} className="-mt-1 text-xs text-muted-foreground">
          {String(description)}
        </p>
      ) : null}
      {items.length === 0 ? <p className="text-xs text-muted-foreground">No items.</p> : null}
      <div className="grid gap-3">{items}</div>
      {canAdd ? (
        <div>
          <AddButton
            id={buttonId(fieldPathId, "add")}
            onClick={onAddClick}
            disabled={disabled || readonly}
            uiSchema={uiSchema}
            registry={registry}
          />
        </div>
      ) : null}
    </fieldset>
  );
}

function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { children, buttonsProps, hasToolbar, registry, uiSchema } = props;
  const Buttons = getTemplate("ArrayFieldItemButtonsTemplate", registry, getUiOptions(uiSchema));
  return (
    <div className="flex items-start gap-2">
      <div className="min-w-0 flex-1">{children}</div>
      {hasToolbar ? (
        <div className="flex shrink-0 items-center gap-0.5 pt-0.5">
          <Buttons {...buttonsProps} />
        </div>
      ) : null}
    </div>
  );
}

function TitleFieldTemplate({ id, title, required }: TitleFieldProps) {
  return (
    <h3 id={id} className="text-sm font-semibold">
      {title}
      {required ? (
        <span aria-hidden className="ml-0.5 text-destructive">
          *
        </span>
      ) : null}
    </h3>
  );
}

function DescriptionFieldTemplate({ id, description }: DescriptionFieldProps) {
  if (!description) return null;
  return (
    <p id={id} className="text-xs text-muted-foreground">
      {description}
    </p>
  );
}

const none = () => null;

function ItemButton({
  label,
  icon,
  destructive,
  onClick,
  disabled,
  id,
  className,
}: RjsfIconButtonProps & { label: string; icon: ReactNode; destructive?: boolean }) {
  return (
    <IconButton
      id={id}
      label={label}
      icon={icon}
      size="icon-sm"
      disabled={disabled}
      onClick={onClick}
      className={cn(destructive && "text-destructive hover:text-destructive", className)}
    />
  );
}

const RemoveButton = (props: RjsfIconButtonProps) => (
  <ItemButton {...props} label="Remove item" icon={<Trash2 />} destructive />
);
const MoveUpButton = (props: RjsfIconButtonProps) => (
  <ItemButton {...props} label="Move up" icon={<ArrowUp />} />
);
const MoveDownButton = (props: RjsfIconButtonProps) => (
  <ItemButton {...props} label="Move down" icon={<ArrowDown />} />
);
const CopyButton = (props: RjsfIconButtonProps) => (
  <ItemButton {...props} label="Duplicate item" icon={<Copy />} />
);
const ClearButton = (props: RjsfIconButtonProps) => <ItemButton {...props} label="Clear" icon={<X />} />;

function AddButton({ onClick, disabled, id }: RjsfIconButtonProps) {
  return (
    <Button id={id} type="button" variant="outline" size="sm" onClick={onClick} disabled={disabled}>
      <Plus aria-hidden />
      Add item
    </Button>
  );
}

export const templates: Templates = {
  FieldTemplate,
  ObjectFieldTemplate,
  ArrayFieldTemplate,
  ArrayFieldItemTemplate,
  TitleFieldTemplate,
  DescriptionFieldTemplate,
  // FieldTemplate lists the errors and help itself, with the ids the controls point at.
  FieldErrorTemplate: none,
  FieldHelpTemplate: none,
  ErrorListTemplate: none,
  ButtonTemplates: {
    SubmitButton: none,
    AddButton,
    RemoveButton,
    MoveUpButton,
    MoveDownButton,
    CopyButton,
    ClearButton,
  },
};

// ── widgets ───────────────────────────────────────────────────────────────────────────────────────────

function BaseInput(props: WidgetProps & { type?: string }) {
  const {
    id,
    htmlName,
    value,
    readonly,
    disabled,
    autofocus,
    onBlur,
    onFocus,
    onChange,
    options,
    schema,
    rawErrors,
    type,
    placeholder,
    required,
  } = props;
  const inputProps = getInputProps(schema, type, options);
  const numeric = inputProps.type === "number" || inputProps.type === "integer";
  const shown = numeric ? (value || value === 0 ? value : "") : (value ?? "");
  return (
    <Input
      id={id}
      name={htmlName || id}
      {...inputProps}
      value={shown}
      placeholder={placeholder}
      required={required}
      readOnly={readonly}
      disabled={disabled}
      autoFocus={autofocus}
      aria-invalid={hasErrors(rawErrors) || undefined}
      aria-describedby={ariaDescribedByIds(id)}
      className={cn(inputProps.type === "number" || inputProps.type === "integer" ? "max-w-48" : undefined)}
      onChange={(event: ChangeEvent<HTMLInputElement>) =>
        onChange(event.target.value === "" ? options.emptyValue : event.target.value)
      }
      onBlur={(event) => onBlur(id, event.target.value)}
      onFocus={(event) => onFocus(id, event.target.value)}
    />
  );
}

function TextareaWidget(props: WidgetProps) {
  const {
    id,
    htmlName,
    value,
    readonly,
    disabled,
    autofocus,
    onBlur,
    onFocus,
    onChange,
    options,
    rawErrors,
    placeholder,
    required,
  } = props;
  return (
    <Textarea
      id={id}
      name={htmlName || id}
      value={value ?? ""}
      placeholder={placeholder}
      required={required}
      readOnly={readonly}
      disabled={disabled}
      autoFocus={autofocus}
      rows={typeof options.rows === "number" ? options.rows : 4}
      aria-invalid={hasErrors(rawErrors) || undefined}
      aria-describedby={ariaDescribedByIds(id)}
      onChange={(event) => onChange(event.target.value === "" ? options.emptyValue : event.target.value)}
      onBlur={(event) => onBlur(id, event.target.value)}
      onFocus={(event) => onFocus(id, event.target.value)}
    />
  );
}

function CheckboxWidget(props: WidgetProps) {
  const {
    id,
    htmlName,
    value,
    disabled,
    readonly,
    label,
    hideLabel,
    onChange,
    onBlur,
    onFocus,
    schema,
    options,
    required,
    rawErrors,
  } = props;
  const description = options.description ?? schema.description;
  return (
    <div className="flex items-start gap-2.5">
      <input
        type="checkbox"
        id={id}
        name={htmlName || id}
        checked={value === true}
        disabled={disabled || readonly}
        aria-invalid={hasErrors(rawErrors) || undefined}
        aria-describedby={ariaDescribedByIds(id)}
        onChange={(event) => onChange(event.target.checked)}
        onBlur={(event) => onBlur(id, event.target.checked)}
        onFocus={(event) => onFocus(id, event.target.checked)}
        className="mt-0.5 size-4 shrink-0 cursor-pointer accent-primary"
      />
      <div className="grid gap-0.5">
        <label
          htmlFor={id}
          className={cn("cursor-pointer text-sm font-medium leading-tight", hideLabel && "sr-only")}
        >
          {label}
          {required ? (
            <span aria-hidden className="ml-0.5 text-destructive">
              *
            </span>
          ) : null}
        </label>
        {description ? (
          <p id={descriptionId(id)} className="text-xs text-muted-foreground">
            {String(description)}
          </p>
        ) : null}
      </div>
    </div>
  );
}

const NONE = "__rjsf_none__";

/** Enums (and booleans shown as a select) on the board's Radix Select; option values travel as indexes. */
function SelectWidget(props: WidgetProps) {
  const { id, value, options, disabled, readonly, required, onChange, rawErrors, multiple, placeholder } =
    props;
  const enumOptions = options.enumOptions ?? [];
  if (multiple) return <CheckboxesWidget {...props} />;
  const index = enumOptions.findIndex((option) => option.value === value);
  const choices = [
    ...(required ? [] : [{ value: NONE, label: <span className="text-muted-foreground">Not set</span> }]),
    ...enumOptions.map((option, i) => ({
      value: String(i),
      label: option.label,
      disabled: Array.isArray(options.enumDisabled) && options.enumDisabled.includes(option.value),
    })),
  ];
  return (
    <Select
      id={id}
      value={index >= 0 ? String(index) : required ? undefined : NONE}
      onValueChange={(next) =>
        onChange(
          next === NONE
            ? options.emptyValue
            : enumOptionsValueForIndex(next, enumOptions, options.emptyValue),
        )
      }
      options={choices}
      placeholder={placeholder || "Select…"}
      disabled={disabled || readonly}
      className={cn("max-w-md", hasErrors(rawErrors) && "border-destructive")}
      aria-label={undefined}
    />
  );
}

function CheckboxesWidget({ id, value, options, disabled, readonly, onChange, htmlName }: WidgetProps) {
  const enumOptions = options.enumOptions ?? [];
  const selected = Array.isArray(value) ? value : [];
  return (
    <fieldset id={id} className="grid gap-1.5" aria-describedby={ariaDescribedByIds(id)}>
      {enumOptions.map((option, index) => (
        <label
          key={String(option.value)}
          htmlFor={optionId(id, index)}
          className="flex cursor-pointer items-center gap-2 text-sm"
        >
          <input
            type="checkbox"
            id={optionId(id, index)}
            name={htmlName || id}
            checked={enumOptionsIsSelected(option.value, selected)}
            disabled={disabled || readonly}
            onChange={(event) =>
              onChange(
                event.target.checked
                  ? enumOptionsSelectValue(index, selected, enumOptions)
                  : enumOptionsDeselectValue(index, selected, enumOptions),
              )
            }
            className="size-4 cursor-pointer accent-primary"
          />
          {option.label}
        </label>
      ))}
    </fieldset>
  );
}

function RadioWidget({ id, value, options, disabled, readonly, onChange, htmlName }: WidgetProps) {
  const enumOptions = options.enumOptions ?? [];
  return (
    <div id={id} className="grid gap-1.5" role="radiogroup" aria-describedby={ariaDescribedByIds(id)}>
      {enumOptions.map((option, index) => (
        <label
          key={String(option.value)}
          htmlFor={optionId(id, index)}
          className="flex cursor-pointer items-center gap-2 text-sm"
        >
          <input
            type="radio"
            id={optionId(id, index)}
            name={htmlName || id}
            checked={option.value === value}
            disabled={disabled || readonly}
            onChange={() => onChange(option.value)}
            className="size-4 cursor-pointer accent-primary"
          />
          {option.label}
        </label>
      ))}
    </div>
  );
}

export const widgets: RegistryWidgetsType = {
  BaseInputTemplate: BaseInput,
  TextWidget: BaseInput,
  TextareaWidget,
  CheckboxWidget,
  SelectWidget,
  CheckboxesWidget,
  RadioWidget,
  PasswordWidget: (props: WidgetProps) => <BaseInput {...props} type="password" />,
  EmailWidget: (props: WidgetProps) => <BaseInput {...props} type="email" />,
  URLWidget: (props: WidgetProps) => <BaseInput {...props} type="url" />,
  UpDownWidget: (props: WidgetProps) => <BaseInput {...props} type="number" />,
};

/** BaseInputTemplate is a template in rjsf (number, date, color… widgets render through it). */
templates.BaseInputTemplate = BaseInput as unknown as TemplatesType["BaseInputTemplate"];

export type { FormContextType };

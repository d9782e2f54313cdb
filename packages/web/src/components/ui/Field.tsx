import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode, useId } from "react";
import { cn } from "@/lib/cn";

export interface FieldProps {
  label: ReactNode;
  /** Help text under the control. */
  hint?: ReactNode;
  /** Validation message; marks the control aria-invalid. */
  error?: ReactNode;
  required?: boolean;
  className?: string;
  /** Exactly one control (Input, Textarea, Select trigger…); it receives id, aria-describedby, aria-invalid. */
  children: ReactElement;
}

/**
 * A labelled form control. The label is tied to the control (htmlFor/id) and the hint and error are announced
 * with it (aria-describedby), so screen readers name every field.
 */
export function Field({ label, hint, error, required, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const child = Children.only(children);
  const control = isValidElement<Record<string, unknown>>(child)
    ? cloneElement(child, {
        id: (child.props.id as string | undefined) ?? id,
        "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || undefined,
        "aria-invalid": error ? true : undefined,
        "aria-required": required || undefined,
      })
    : child;
  const controlId = (isValidElement<{ id?: string }>(child) && child.props.id) || id;
  return (
    <div className={cn("grid gap-1.5", className)}>
      <label htmlFor={controlId} className="text-sm font-medium leading-none">
        {label}
        {required ? (
          <span aria-hidden className="ml-0.5 text-destructive">
            *
          </span>
        ) : null}
      </label>
      {control}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}

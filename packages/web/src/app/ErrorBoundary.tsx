import { Component, type ErrorInfo, type ReactNode } from "react";

interface Props {
  /** What to show instead of the children after a render error; `reset` renders the children again. */
  fallback: (props: { error: unknown; reset: () => void }) => ReactNode;
  /** Changing any of these clears the error (pass the location so navigating away recovers). */
  resetKeys?: readonly unknown[];
  children: ReactNode;
}

interface State {
  error: unknown;
  hasError: boolean;
  keys: readonly unknown[] | undefined;
}

/** Catches render errors below it so one broken component never blanks the whole board. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, hasError: false, keys: this.props.resetKeys };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, hasError: true };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    const changed =
      props.resetKeys !== undefined &&
      (state.keys === undefined ||
        props.resetKeys.length !== state.keys.length ||
        props.resetKeys.some((key, index) => !Object.is(key, state.keys?.[index])));
    if (!changed) return null;
    return state.hasError
      ? { error: null, hasError: false, keys: props.resetKeys }
      : { keys: props.resetKeys };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.warn("Paperclip: a component failed to render", error, info.componentStack);
  }

  reset = (): void => {
    this.setState({ error: null, hasError: false });
  };

  override render(): ReactNode {
    if (this.state.hasError) return this.props.fallback({ error: this.state.error, reset: this.reset });
    return this.props.children;
  }
}

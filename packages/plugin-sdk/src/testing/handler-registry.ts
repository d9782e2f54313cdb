import { requireFunction, requireNonEmptyString } from "./validate.js";

/**
 * Handlers a plugin registers in `setup()` (data, actions, tools, jobs), keyed by name.
 * Registering the same key again replaces the previous handler, as in the worker.
 */
export class HandlerRegistry<THandler extends (...args: never[]) => unknown> {
  private readonly handlers = new Map<string, THandler>();

  /** `kind` reads like "data", "action", "tool" or "job" and appears in every message. */
  constructor(
    private readonly kind: string,
    private readonly registerMethod: string,
  ) {}

  register(key: unknown, handler: unknown): void {
    const name = requireNonEmptyString(key, `${this.registerMethod}: key`);
    this.handlers.set(name, requireFunction<THandler>(handler, `${this.registerMethod}: handler`));
  }

  /** The same wording as the published harness, so tests asserting on it keep passing. */
  resolve(key: string): THandler {
    const handler = this.handlers.get(key);
    if (!handler) throw new Error(`No ${this.kind} handler registered for '${key}'`);
    return handler;
  }

  has(key: string): boolean {
    return this.handlers.has(key);
  }

  keys(): string[] {
    return [...this.handlers.keys()];
  }
}

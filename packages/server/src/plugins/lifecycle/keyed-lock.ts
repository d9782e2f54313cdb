// Runs operations on the same key one after another (in call order) and on different keys in parallel.
// The lifecycle locks by plugin key so an enable, a disable and a crash report for one plugin never interleave
// inside this process; the row version guards against other processes.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

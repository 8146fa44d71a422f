/**
 * Runs async tasks one at a time, in call order: one open transaction per connection.
 *
 * @example
 * ```ts
 * const queue = new SerialQueue();
 * await queue.run(() => runTransaction());
 * ```
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

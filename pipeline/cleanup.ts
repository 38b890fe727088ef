/**
 * Undo actions registered as resources are created, run last-first; every one runs even when an earlier one
 * fails or hangs (each gets `timeoutMs`), and a failure is reported, not thrown, so cleaning up never hides the
 * error that stopped the run.
 */
export class Cleanup {
  private readonly steps: { label: string; undo: () => unknown }[] = [];
  private done?: Promise<string[]>;

  constructor(private readonly timeoutMs = 60_000) {}

  /** Registers an undo; once clean-up has started (Ctrl-C during a step), it runs at once instead. */
  defer(label: string, undo: () => unknown): void {
    if (this.done) {
      void Promise.resolve()
        .then(undo)
        .catch(() => undefined);
      return;
    }
    this.steps.push({ label, undo });
  }

  /** Runs every undo once (later calls wait for the first); resolves to the failures, labelled. */
  run(): Promise<string[]> {
    this.done ??= (async () => {
      const failures: string[] = [];
      for (const { label, undo } of this.steps.reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`did not finish within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        });
        try {
          await Promise.race([Promise.resolve().then(undo), timeout]);
        } catch (err) {
          failures.push(`${label}: ${(err as Error).message.split('\n')[0]}`);
        } finally {
          clearTimeout(timer);
        }
      }
      return failures;
    })();
    return this.done;
  }
}

import { EngineError, type Priority } from "../protocol";

const RANK: Record<Priority, number> = { interactive: 0, prefetch: 1, background: 2 };

interface QueuedJob {
  rank: number;
  order: number;
  controller: AbortController;
  start: () => void;
  cancelQueued: (reason: EngineError) => void;
}

/**
 * Runs one generation at a time on one sequence of the model context (the worker keeps one queue per sequence).
 * Higher priority first, FIFO within a priority; an interactive job pre-empts a running prefetch or background job.
 */
export class GenerationQueue {
  private readonly waiting: QueuedJob[] = [];
  private running: QueuedJob | undefined;
  private order = 0;
  private idleWaiters: Array<() => void> = [];

  /** Settles when nothing runs or waits. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get pending(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Runs `work` when its turn comes; `work` receives a signal aborted on cancel or pre-emption. */
  run<T>(priority: Priority, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(cancelledError(signal));
    return new Promise<T>((resolve, reject) => {
      const controller = new AbortController();
      const onOuterAbort = () => controller.abort(signal.reason);
      signal.addEventListener("abort", onOuterAbort, { once: true });

      const job: QueuedJob = {
        rank: RANK[priority],
        order: this.order++,
        controller,
        start: () => {
          this.running = job;
          work(controller.signal)
            .then(resolve, reject)
            .finally(() => {
              signal.removeEventListener("abort", onOuterAbort);
              if (this.running === job) this.running = undefined;
              this.next();
            });
        },
        cancelQueued: (reason) => {
          signal.removeEventListener("abort", onOuterAbort);
          reject(reason);
          this.notifyIdle();
        },
      };

      controller.signal.addEventListener(
        "abort",
        () => {
          const index = this.waiting.indexOf(job);
          if (index >= 0) {
            this.waiting.splice(index, 1);
            job.cancelQueued(cancelledError(controller.signal));
          }
        },
        { once: true },
      );

      this.waiting.push(job);
      this.waiting.sort((a, b) => a.rank - b.rank || a.order - b.order);
      if (this.running && this.running.rank > job.rank) {
        this.running.controller.abort(new EngineError("cancelled", "Pre-empted by a more urgent request."));
      }
      if (!this.running) this.next();
    });
  }

  private next(): void {
    if (this.running) return;
    const job = this.waiting.shift();
    if (job) job.start();
    else this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export function cancelledError(signal: AbortSignal): EngineError {
  const reason: unknown = signal.reason;
  if (reason instanceof EngineError) return reason;
  return new EngineError("cancelled", typeof reason === "string" ? reason : "The request was cancelled.");
}

/** One event of the spawn progress stream, as JupyterHub's spawn page expects it. */
export interface ProgressEventData {
  progress?: number;
  message: string;
  html_message?: string;
  ready?: boolean;
  failed?: boolean;
  url?: string;
}

type Listener = (event: ProgressEventData) => void;

/**
 * The progress of one spawn: every event is kept so a page that connects late replays them, and
 * listeners get new ones until the final `ready` or `failed` event closes the log.
 */
export class ProgressLog {
  private readonly events: ProgressEventData[] = [];
  private readonly listeners = new Set<Listener>();
  private finished = false;

  push(event: ProgressEventData): void {
    if (this.finished) return;
    this.events.push(event);
    if (event.ready || event.failed) this.finished = true;
    for (const listener of this.listeners) listener(event);
    if (this.finished) this.listeners.clear();
  }

  get isFinished(): boolean {
    return this.finished;
  }

  get last(): ProgressEventData | undefined {
    return this.events.at(-1);
  }

  /** Replays past events, then follows; returns an unsubscribe function. */
  follow(listener: Listener): () => void {
    for (const event of this.events) listener(event);
    if (!this.finished) this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Splits a child's output into lines and keeps only the last few, so a failed start can say why
 * without the hub holding a server's whole log in memory. stdout and stderr keep separate partial
 * lines so that interleaved chunks never glue halves of two lines together.
 */
export class OutputTail {
  private readonly lines: string[] = [];
  private readonly partials = new Map<string, string>();

  constructor(
    private readonly maxLines = 40,
    /** A single runaway line (a progress bar, a binary blob) must not grow without bound either. */
    private readonly maxLineLength = 2000,
  ) {}

  /** Adds a chunk of one stream; returns the lines it completed, for logging. */
  push(chunk: string, stream = 'out'): string[] {
    const pieces = ((this.partials.get(stream) ?? '') + chunk).split(/\r?\n/);
    this.partials.set(stream, this.clip(pieces.pop() ?? ''));
    const complete = pieces.map((line) => this.clip(line));
    for (const line of complete) this.remember(line);
    return complete;
  }

  /** Ends the streams: unterminated last lines count as lines. Returns them. */
  flush(): string[] {
    const last = [...this.partials.values()].filter((line) => line !== '');
    this.partials.clear();
    for (const line of last) this.remember(line);
    return last;
  }

  /** The kept lines, oldest first, including unterminated last lines. */
  text(): string {
    const pending = [...this.partials.values()].filter((line) => line !== '');
    return [...this.lines, ...pending].slice(-this.maxLines).join('\n');
  }

  private remember(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  private clip(line: string): string {
    return line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}\u2026` : line;
  }
}

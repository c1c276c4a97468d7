/**
 * How the runner reports progress. The library never prints: the CLI turns these calls into
 * progress bars on stderr, tests pass nothing.
 */
export interface ProgressTask {
  update(done: number): void;
  stop(): void;
}

export interface ProgressSink {
  start(label: string, total: number): ProgressTask;
  /** A line for the user (e.g. a skipped PDF); the CLI prints it on stderr. */
  note(message: string): void;
}

const idle: ProgressTask = { update() {}, stop() {} };

export const silentProgress: ProgressSink = {
  start: () => idle,
  note() {},
};

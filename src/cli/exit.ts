/** Exit codes every command shares, so CI can tell a NO-GO from broken input. */
export const EXIT = {
  ok: 0,
  noGo: 1,
  invalidInput: 2,
  runtimeError: 3,
  /** Stopped by Ctrl-C (128 + SIGINT), after writing what finished. */
  interrupted: 130,
} as const;

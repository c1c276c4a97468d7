/**
 * Memory of other processes, from /proc (Linux): a database server's footprint is its own, not
 * the benchmark's. PostgreSQL is many processes sharing buffers, so a tree is summed by PSS
 * (each shared page split among its users) rather than RSS, which would count shared memory once
 * per process.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS and VmHWM (peak RSS) of one process, in bytes; undefined when it is gone. */
export function processRss(pid: number): { rssBytes: number; peakRssBytes: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * A process and all its descendants (by parent pid). PostgreSQL's backends each call setsid(), so
 * they are not in the postmaster's process group: the tree is what holds the server's memory.
 */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ")": state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Sum of Pss over the processes, in bytes (smaps_rollup; processes that end meanwhile count 0). */
export function totalPss(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

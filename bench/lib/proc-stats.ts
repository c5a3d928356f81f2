/**
 * CPU time and memory of a process, read from /proc (Linux only). The server under test runs
 * in its own process, so these figures are its own and exclude the load generator.
 */
import { readFileSync } from 'node:fs';

/** A sample of one process's resource use. */
export interface ProcessSample {
  /** User plus system CPU time consumed so far, in milliseconds. */
  cpuMs: number;
  /** Resident set size now, in bytes. */
  rssBytes: number;
  /** Peak resident set size since start (VmHWM), in bytes. */
  peakRssBytes: number;
}

// Kernel clock ticks per second; 100 on every mainstream Linux build.
const CLOCK_TICKS_PER_SECOND = 100;

/** Reads the current sample for `pid`, or null when the process is gone. */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces, so fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      cpuMs: ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND,
      rssBytes: readStatusKb(status, 'VmRSS') * 1024,
      peakRssBytes: readStatusKb(status, 'VmHWM') * 1024,
    };
  } catch {
    return null;
  }
}

function readStatusKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] ? Number(match[1]) : 0;
}

/** Resource use between two samples: CPU spent and the peak RSS reached by the end. */
export interface ResourceUse {
  cpuMs: number;
  rssMiB: number;
  peakRssMiB: number;
}

/** The difference between a start and an end sample, in report units. */
export function resourceUseBetween(start: ProcessSample, end: ProcessSample): ResourceUse {
  const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { cpuMs: end.cpuMs - start.cpuMs, rssMiB: mib(end.rssBytes), peakRssMiB: mib(end.peakRssBytes) };
}

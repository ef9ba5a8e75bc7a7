import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

export class LockedError extends Error {
  constructor(path: string, pid: number) {
    super(
      `Another stayedge process (pid ${pid}) is using this data directory (lock file ${path}). Stop it first, or set DATA_DIR to another directory.`,
    );
    this.name = "LockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite does not lock its data directory, and two processes writing it corrupt it: take an
 * exclusive lock file holding our pid. A lock left by a process that died is taken over.
 */
export function acquireLockFile(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) throw new LockedError(path, pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock file ${path}.`);
}

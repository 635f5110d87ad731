import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export class DataDirInUseError extends Error {
  override readonly name = "DataDirInUseError";
  readonly code = "DATADIR_IN_USE";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `data directory ${dataDir} is in use by another astram-node (pid ${pid}); stop it or choose another --datadir`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * An exclusive lock on a data directory: a `LOCK` file holding the owner's pid, created with O_EXCL.
 * A lock left by a process that no longer exists (kill -9) is taken over; a live owner is an error.
 * LMDB itself allows several processes, so without this a second node would write to the same chain.
 */
export class DataDirLock {
  private released = false;
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, "LOCK");
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, "wx");
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
          throw new DataDirInUseError(dataDir, pid);
        if (pid === process.pid) throw new DataDirInUseError(dataDir, pid);
        rmSync(path, { force: true }); // stale: its owner is gone
      }
    }
    throw new Error(`could not lock data directory ${dataDir}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    rmSync(this.path, { force: true });
  }
}

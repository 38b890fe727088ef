import { statfs } from 'node:fs/promises';
import { unavailable } from './unavailable.js';

/**
 * Keeps the last `minFreeBytes` of DATA_DIR's file system for the audit trail: below that, write requests are
 * refused (503 storage-full) before they start, while reads — whose audit events are a few hundred bytes each —
 * go on. Without this reserve a full disk would refuse every read as well, since no read is served unaudited.
 */
export class FreeSpaceGuard {
  constructor(
    private readonly dir: string,
    private readonly minFreeBytes: number,
  ) {}

  /** Bytes an unprivileged process may still write under the directory. */
  async freeBytes(): Promise<number> {
    const stats = await statfs(this.dir);
    return stats.bavail * stats.bsize;
  }

  /** Throws the storage-full 503 when less than the reserve is free. */
  async check(): Promise<void> {
    if (this.minFreeBytes === 0) return;
    const free = await this.freeBytes();
    if (free < this.minFreeBytes) {
      throw unavailable(
        'storage-full',
        "The database's storage is nearly full and what is left is kept for the audit trail, so nothing was written. Reads go on; try writing again later.",
      );
    }
  }
}

/** Cinder's refusal to delete a volume that is attached (or otherwise busy, or has snapshots), word for word. */
export const inUseRefusal =
  'Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.';

/** Cinder's 400, with its message. */
export const badRequest = (message: string) => ({ badRequest: { message, code: 400 } });

/** Cinder's 404 for a volume or snapshot it does not have. */
export const itemNotFound = (what: 'Volume' | 'Snapshot', id: string) => ({
  itemNotFound: { message: `${what} ${id} could not be found.`, code: 404 },
});

/** Cinder's 413 (a QuotaError), as its exception classes word it. */
export const overLimit = (message: string) => ({ overLimit: { message, code: 413, retryAfter: '0' } });

/** A snapshot without `force` of a volume that is not available (Cinder before microversion 3.66). */
export const snapshotNeedsForce = (volumeId: string, status: string) =>
  badRequest(`Invalid volume: Volume ${volumeId} status must be available, but current status is: ${status}.`);

/** A volume from a snapshot asked to be smaller than the snapshot. */
export const smallerThanSnapshot = (size: number, snapshotSize: number) =>
  badRequest(
    `Invalid input received: Volume size '${size}'GB cannot be smaller than the snapshot size ${snapshotSize}GB. They must be >= original snapshot size.`,
  );

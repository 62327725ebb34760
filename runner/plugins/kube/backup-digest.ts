import { createHash } from 'node:crypto';

/** A backup file's digest, recorded when it is taken and compared before anything relies on it. */
export const backupDigest = (text: string): string => createHash('sha256').update(text).digest('hex');

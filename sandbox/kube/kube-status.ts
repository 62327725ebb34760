/** The `Status` object the real API server returns with an error; kubectl prints its message. */
export function statusBody(code: number, reason: string, message: string, details?: Record<string, unknown>): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function successStatus(details: Record<string, unknown>): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

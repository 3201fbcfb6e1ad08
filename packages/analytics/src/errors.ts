export class EventLogFullError extends Error {
  override name = 'EventLogFullError';
}

export class EventWriterClosedError extends Error {
  override name = 'EventWriterClosedError';
}

// Something the caller should show although the operation succeeded: its result stands, but part of the job was not done.

export interface RpWarning {
  /** audit-unwritable: the change was made and its result is returned, but its audit event could not be written. */
  code: 'audit-unwritable';
  message: string;
}

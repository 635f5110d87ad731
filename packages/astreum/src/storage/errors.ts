// Errors of the storage subsystem; callers switch on `code`.

export class StorageError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An argument that is not what the storage API takes (an id of the wrong length, a bad payload type). */
export class InvalidStorageArgumentError extends StorageError {
  constructor(detail: string) {
    super("INVALID_STORAGE_ARGUMENT", detail);
  }
}

/** A list operation was given an atom that is not a Link. */
export class NotAListError extends StorageError {
  constructor(idHex: string) {
    super("NOT_A_LIST", `atom ${idHex} is not a Link, so it does not start a list`);
  }
}

/** The service was used before start() or after stop(). */
export class StoreNotStartedError extends StorageError {
  constructor(what: string) {
    super("STORE_NOT_STARTED", `${what}: the atom store is not started`);
  }
}

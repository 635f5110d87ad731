// Consensus errors. Every class has a stable `code`. A block or transaction that breaks a rule is a
// VerifyError: `reason` says which rule (stable, for logs and tests) and `action` how to treat
// whoever sent it (ignore it, reject the object and remember it, or also count it against the peer).

export type PeerAction = "ignore" | "reject" | "ban";

export class ConsensusError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bytes or atoms that are not the expected consensus object (wrong shape, tag, version). */
export class ConsensusDecodeError extends ConsensusError {
  constructor(detail: string) {
    super("CONSENSUS_DECODE", detail);
  }
}

/** An atom needed to read or check an object is not available (locally or from peers in time). */
export class MissingAtomError extends ConsensusError {
  readonly atomId: Uint8Array;
  constructor(atomId: Uint8Array, what: string) {
    super("MISSING_ATOM", `${what}: atom ${Buffer.from(atomId).toString("hex")} is not available`);
    this.atomId = atomId;
  }
}

/** A block or transaction breaks a consensus rule. */
export class VerifyError extends ConsensusError {
  readonly reason: string;
  readonly action: PeerAction;
  constructor(reason: string, message: string, action: PeerAction = "reject") {
    super("VERIFY_FAILED", `${reason}: ${message}`);
    this.reason = reason;
    this.action = action;
  }
}

/** A transaction that cannot be applied (it is left out of the block, or the block is invalid). */
export class TransactionRejectedError extends VerifyError {
  constructor(reason: string, message: string) {
    super(reason, message, "reject");
  }
}

/** The scheduled-validator draw has no stake to draw from. */
export class NoStakeError extends ConsensusError {
  constructor() {
    super("NO_STAKE", "the treasury lists no positive stake");
  }
}

/** A Merkle tree index outside the tree (the reference's IndexError). */
export class MerkleIndexError extends ConsensusError {
  constructor(detail: string) {
    super("MERKLE_INDEX", detail);
  }
}

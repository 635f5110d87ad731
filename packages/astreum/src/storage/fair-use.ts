// The fair-use gate (facts §2.9): once a peer has been sent `fair_use_limit` bytes of objects, it
// must have sent us at least `fair_use_ratio` times what it received, or pay.

export interface FairUseInput {
  /** Bytes of the object about to be served. */
  size: number;
  fairUseLimit: number;
  /** 0 disables the gate. */
  fairUseRatio: number;
  /** Bytes of objects already served to this peer. */
  upload: number;
  /** Bytes of valid objects received from this peer. */
  download: number;
}

/** True when serving this object requires payment. */
export function paymentRequired({
  size,
  fairUseLimit,
  fairUseRatio,
  upload,
  download,
}: FairUseInput): boolean {
  if (size <= 0 || fairUseRatio <= 0) return false;
  const projected = upload + size;
  if (projected < fairUseLimit) return false;
  return download / projected < fairUseRatio;
}

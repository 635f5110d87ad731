// Public API of the storage subsystem.
export {
  type AdvertisementInput,
  type AdvertisementListener,
  type AtomAdvertisement,
  AtomAdvertisements,
  unixNow,
} from "./advertisements.js";
export { ATOM_ID_BYTES, idFromKey, idKey, idsEqual, isAtomId, NIL_ID } from "./atom-id.js";
export { atomBytes, LINK_ATOM_BYTES } from "./atom-size.js";
export {
  type AtomNetwork,
  AtomStore,
  type AtomStoreOptions,
  type AtomStoreStats,
  type FetchOptions,
  type PutResult,
} from "./atom-store.js";
export { atomize, type Materialized, materialize } from "./atomize.js";
export { ColdStorage, type ColdStorageOptions, type ColdStorageStats } from "./cold/cold-storage.js";
export { ColdIndexError, IndexTable } from "./cold/index-file.js";
export {
  COLD_STORAGE_SCALES,
  type ColdStorageScale,
  INDEX_ENTRY_BYTES,
  INDEX_HEADER_BYTES,
  level0FileName,
  levelDir,
} from "./cold/layout.js";
export { InvalidStorageArgumentError, NotAListError, StorageError, StoreNotStartedError } from "./errors.js";
export { type FairUseInput, paymentRequired } from "./fair-use.js";
export { HotStorage, type HotStorageStats } from "./hot-storage.js";
export {
  type AtomLookup,
  bytesListToExpr,
  hashListToExpr,
  type ListResolution,
  resolveList,
} from "./lists.js";
export { isPayloadType, PayloadType } from "./payload-type.js";
export {
  nextStoragePrice,
  PRICE_FACTOR_ABOVE,
  PRICE_FACTORS,
  priceFactor,
  queuePressure,
  roundHalfEven,
  StorageRequestPricing,
} from "./pricing.js";

import type { Expr } from "../machine/expr.js";
import type { FetchOptions } from "./atom-store.js";

/**
 * The seed's `get_atom_list_from_storage(root)`: the list's items, or null when incomplete. Takes
 * an AtomStore or a Node (anything with getAtomList).
 */
export function getAtomListFromStorage(
  store: { getAtomList(root: Uint8Array, options?: FetchOptions): Promise<Expr[] | null> },
  root: Uint8Array,
  options?: FetchOptions,
): Promise<Expr[] | null> {
  return store.getAtomList(root, options);
}

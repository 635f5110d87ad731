/** Consensus constants shared by every network (the seed's parameter table). */

/** 1 ASRM = 10^18 ram. */
export const RAM_PER_ASRM = 10n ** 18n;
export const GWEI = 10n ** 9n;
export const TWEI = 10n ** 12n;

export const INITIAL_REWARD = 8n * RAM_PER_ASRM;
export const HALVING_INTERVAL = 210_000;
/** The seed's stated cap; the schedule above issues about 3.36 M ASRM, so it is never reached. */
export const MAX_SUPPLY = 42_000_000n * RAM_PER_ASRM;

export const BASE_MIN_FEE = 100n * TWEI;
export const MIN_FEE_PER_BYTE = 200n * GWEI;
export const WALLET_FEE_PER_BYTE = 300n * GWEI;

export const MAX_TX_SIZE = 100_000;
export const MAX_TX_INPUTS = 1000;
export const MAX_TX_OUTPUTS = 1000;
/** Every non-coinbase output must carry at least 1 Twei. */
export const MIN_OUTPUT_VALUE = TWEI;
/**
 * Largest encoded block. The P2P frame carries at most 8 MiB; 4 MiB leaves room for the message
 * header and keeps relay of a full block quick.
 */
export const MAX_BLOCK_SIZE = 4 * 1024 * 1024;

export const MAX_FUTURE_DRIFT_SECONDS = 2 * 60 * 60;
export const MIN_BLOCK_TIMESTAMP = 1_738_800_000;
export const MEDIAN_TIME_SPAN = 11;

export const DIFFICULTY_MIN = 1;
export const DIFFICULTY_MAX = 10;
export const DIFFICULTY_INTERVAL = 30;
export const SLOW_START_BLOCKS = 100;
export const SLOW_START_CAP = 3;
/** Adjacent blocks may differ by at most this much (the seed's rule; the schedule implies it). */
export const MAX_DIFFICULTY_STEP = 2;

export const MAX_REORG_DEPTH = 100;

// Accounts shared by rpc.bench.js (which signs) and rpc-server.js (which funds them): fixed keys so
// both processes derive the same addresses without passing secrets around.

/** Accounts that send eth_sendRawTransaction, NONCES each (a chain of change: at most 25 deep). */
export const SENDERS = 120;
export const NONCES = 5;
/** What each sender holds: one output of 0.05 ASRM. */
export const SENDER_FUNDS = 5n * 10n ** 16n;

/** The private key of bench account `i` ("0x" + 64 hex); account SENDERS holds 12 small outputs. */
export const benchKey = (i) => `0x${(0xbe7c4000 + i).toString(16).padStart(64, "0")}`;

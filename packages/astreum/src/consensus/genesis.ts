// The genesis block (facts §4.8): the validator holds the only stake (1) in the treasury's data
// trie; accounts TREASURY (balance 1), BURN (0) and the validator (0); height 0, no previous block,
// cumulative transaction fee 1, cumulative stake 1, empty transaction and receipt lists (ZERO32).
import type { Expr } from "../machine/expr.js";
import { Account, BURN_ADDRESS, TREASURY_ADDRESS } from "./account.js";
import { Accounts } from "./accounts.js";
import { Block } from "./block.js";
import { publicKeyOf, type SecretKeyInput } from "./ed25519.js";
import { TreasuryRecord } from "./treasury-record.js";

export interface GenesisOptions {
  chainId: number;
  /** UNIX seconds. */
  timestamp: number;
  /** The validator's secret key: its public key gets the stake, and it signs the block. */
  validatorSecretKey: SecretKeyInput;
}

export interface GenesisResult {
  block: Block;
  /** Every atom to store: block, accounts trie, accounts, stake trie, treasury record. */
  atoms: Expr[];
}

export async function createGenesis(o: GenesisOptions): Promise<GenesisResult> {
  const validator = publicKeyOf(o.validatorSecretKey);
  const accounts = new Accounts(() => null, null);
  accounts.set(TREASURY_ADDRESS, new Account({ balance: 1n }));
  accounts.set(BURN_ADDRESS, new Account());
  accounts.set(validator, new Account());
  const record = new TreasuryRecord(1n);
  const stakes = await accounts.dataTrie(TREASURY_ADDRESS);
  await stakes.put(validator, record.id());
  accounts.addAtoms(record.atoms());
  const { root, atoms } = await accounts.commit();
  const block = new Block({
    chainId: o.chainId,
    height: 0,
    timestamp: o.timestamp,
    difficulty: 0,
    cumulativeStake: 1n,
    cumulativeBurn: 0n,
    cumulativeMint: 0n,
    cumulativeTransactionFee: 1n,
    cumulativeStorageFee: 0n,
    accountsHash: root,
    validatorPublicKey: validator,
    nonce: 0n,
  });
  block.sign(o.validatorSecretKey);
  return { block, atoms: [...block.atoms(), ...atoms] };
}

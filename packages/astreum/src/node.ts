// The Astreum node: configuration, logging, the atom store, the relay, and consensus (facts §4.12,
// §4.13, §7). Construction validates the config and sets up logging and storage; nothing touches
// the network until connect() (or verify() / validate(), which connect first). All three are
// idempotent, as is close().
// Reading blocks and receipts from atoms is in node-chain-queries.ts, fetching their atoms from
// peers ahead of decoding in node-prefetch.ts, what survives a restart (relay key, latest verified
// head, known peers) in node-state.ts.
import { EventEmitter } from "node:events";
import { type NodeConfig, type ResolvedNodeConfig, resolveConfig } from "./config.js";
import { abandonedTransactions } from "./consensus/abandoned-transactions.js";
import type { Account } from "./consensus/account.js";
import { Accounts } from "./consensus/accounts.js";
import type { Block } from "./consensus/block.js";
import type { BuiltBlock } from "./consensus/build-block.js";
import { type SecretKeyInput, secretKeyBytes } from "./consensus/ed25519.js";
import { createGenesis } from "./consensus/genesis.js";
import type { TransactionSender } from "./consensus/send-transaction.js";
import type { Transaction } from "./consensus/transaction.js";
import { TransactionPool } from "./consensus/transaction-pool.js";
import { type Head, ValidationWorker } from "./consensus/validation-worker.js";
import { VerificationWorker } from "./consensus/verification-worker.js";
import { instanceId } from "./logging/instance-id.js";
import { defaultLogDirectory } from "./logging/log-directory.js";
import { NodeLogger } from "./logging/node-logger.js";
import type { Expr } from "./machine/expr.js";
import { ChainQueries, type TransactionLocation } from "./node-chain-queries.js";
import { NodeClosedError } from "./node-errors.js";
import { Prefetcher } from "./node-prefetch.js";
import { NodeStateFile, type SavedNodeState } from "./node-state.js";
import { ConfigError } from "./options.js";
import { parseSeed } from "./relay/address.js";
import { relayKeyPair } from "./relay/keys.js";
import type { Peer } from "./relay/peer.js";
import { RelayNode } from "./relay/relay-node.js";
import type { RouteId } from "./relay/route-messages.js";
import type { AdvertisementInput, AtomAdvertisement } from "./storage/advertisements.js";
import { idFromKey, idKey, idsEqual } from "./storage/atom-id.js";
import { AtomStore, type FetchOptions } from "./storage/atom-store.js";
import type { AtomLookup } from "./storage/lists.js";
import { PayloadType } from "./storage/payload-type.js";

/** Validators advertise what they produce for this long (seconds). */
const VALIDATOR_ADVERTISEMENT_TTL = 900;
/** How long connect() waits for a configured or restored head that is not stored locally (ms). */
const HEAD_LOAD_WAIT_MS = 10_000;
/** Peer addresses kept in the state file. */
const SAVED_PEERS = 64;

/**
 * How a head was reached: produced here, verified from peers, trusted from the default seed,
 * configured (latest_block_hash), restored (the state directory) or a new genesis.
 */
export type HeadSource = "produced" | "verified" | "trusted" | "configured" | "restored" | "genesis";

export interface NodeEvents {
  /** The head changed. */
  head: [hash: Uint8Array, block: Block, how: HeadSource];
}

export type { TransactionLocation } from "./node-chain-queries.js";

export class Node implements TransactionSender {
  /** The config object given to the constructor, validated and completed in place. */
  readonly config: ResolvedNodeConfig;
  readonly logger: NodeLogger;
  readonly store: AtomStore;
  readonly relay: RelayNode;
  readonly pool: TransactionPool;
  /** The verification anchor (config verified_up_to), if any. */
  verifiedUpTo: Uint8Array | null = null;
  /** Blocks rejected by verification, by hex hash, with the rule they broke. */
  readonly rejectedBlocks = new Map<string, string>();

  private readonly events = new EventEmitter<NodeEvents>();
  private readonly verified = new Set<string>();
  private head: Head | null = null;
  private connected = false;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private validationKey: Uint8Array | null = null;
  private validation: ValidationWorker | null = null;
  private verification: VerificationWorker | null = null;
  private headLoader: Promise<void> | null = null;
  /** The head to load at connect (configured, else restored), until it is loaded. */
  private startHead: { hash: Uint8Array; how: "configured" | "restored" } | null = null;
  private readonly state: NodeStateFile | null;
  private readonly restoredPeers: string[];
  /** Reads atoms locally, then from peers (waiting as configured). */
  readonly lookup: AtomLookup;
  private readonly prefetch: Prefetcher;
  private readonly chain: ChainQueries;

  constructor(config: NodeConfig = {}) {
    const warnings: string[] = [];
    this.config = resolveConfig(config, (w) => warnings.push(w));
    const c = this.config;
    this.logger = new NodeLogger({
      enabled: c.logging_enabled,
      directory: c.loggingDirectory ?? defaultLogDirectory(instanceId()),
      retentionDays: c.logging_retention_days,
      verbose: c.verbose,
      ...(c.loggingConsole === "stderr"
        ? { stdout: (line: string) => process.stderr.write(`${line}\n`) }
        : {}),
    });
    this.logger.info("Starting Astreum Node");
    this.logger.info(`Chain configured as: ${c.chain} (${c.chain_id})`);
    for (const w of warnings) this.logger.warn(w);
    // State across restarts: the relay key, the latest verified head, the peers known.
    this.state =
      c.stateDirectory === null
        ? null
        : new NodeStateFile(
            c.stateDirectory,
            () => this.savedState(),
            (err) => this.logger.warn(`node state not saved: ${err.message}`),
          );
    const saved = this.state?.load() ?? null;
    if (c.relay_secret_key === null) {
      // A generated key is written back, so a library user can read (and keep) it.
      c.relay_secret_key = saved?.relay_secret_key ?? Buffer.from(relayKeyPair().secretKey).toString("hex");
      if (saved !== null) this.logger.info(`Relay key restored from ${this.state!.path}`);
    }
    if (c.latest_block_hash !== null)
      this.startHead = { hash: idFromKey(c.latest_block_hash.slice(2)), how: "configured" };
    else if (saved?.latest_block_hash != null) {
      if (saved.chain_id === c.chain_id)
        this.startHead = { hash: idFromKey(saved.latest_block_hash.slice(2)), how: "restored" };
      else
        this.logger.warn(
          `saved head of chain ${saved.chain_id} ignored: this node is configured for chain ${c.chain_id}`,
        );
    }
    this.restoredPeers = saved?.peers ?? [];
    this.store = new AtomStore({
      hot_storage_limit: c.hot_storage_limit,
      cold_storage_limit: c.cold_storage_limit,
      cold_storage_path: c.cold_storage_path,
      cold_storage_scale: c.cold_storage_scale,
      atom_fetch_interval: c.atom_fetch_interval,
      atom_fetch_retries: c.atom_fetch_retries,
      coldStorageFsync: c.coldStorageFsync ?? false,
      logger: this.logger,
    });
    this.logger.info(
      `Storage: hot limit ${c.hot_storage_limit} bytes, cold ${c.cold_storage_path ?? "disabled"}` +
        (c.cold_storage_path === null
          ? ""
          : ` (limit ${c.cold_storage_limit}, scale ${c.cold_storage_scale})`),
    );
    this.relay = new RelayNode({
      relay_secret_key: c.relay_secret_key,
      relay_payment_secret_key: c.relay_payment_secret_key,
      validation_secret_key: c.validation_secret_key,
      use_ipv6: c.use_ipv6,
      incoming_port: c.incoming_port,
      default_seed: c.default_seed,
      additional_seeds: c.additional_seeds,
      peer_timeout: c.peer_timeout,
      peer_timeout_interval: c.peer_timeout_interval,
      bootstrap_retry_interval: c.bootstrap_retry_interval,
      storage_index_interval: c.storage_index_interval,
      storage_request_minimum_price: c.storage_request_minimum_price,
      storage_request_price_interval: c.storage_request_price_interval,
      fair_use_limit: c.fair_use_limit,
      fair_use_ratio: c.fair_use_ratio,
      incoming_queue_size_limit: c.incoming_queue_size_limit,
      incoming_queue_timeout: c.incoming_queue_timeout,
      store: this.store,
      ...(c.bindAddress === undefined ? {} : { bindAddress: c.bindAddress }),
      ...(c.advertiseAddress === undefined ? {} : { advertiseAddress: c.advertiseAddress }),
      ...(c.maxDatagramSize === undefined ? {} : { maxDatagramSize: c.maxDatagramSize }),
      knownPeers: this.restoredPeers.filter(validAddress),
      maxPeersPerIp: c.maxPeersPerIp,
      maxPeersPerSubnet: c.maxPeersPerSubnet,
      logger: this.logger,
    });
    // Consensus reads records and tries node by node: a missing node is asked for as a list, so
    // its chain and items arrive with it.
    this.lookup = (id) => this.store.get(id, { payloadType: PayloadType.LIST });
    this.prefetch = new Prefetcher(this.store, this.relay);
    this.chain = new ChainQueries({
      lookup: this.lookup,
      prefetch: this.prefetch,
      rejectedBlocks: this.rejectedBlocks,
      logger: this.logger,
      isConnected: () => this.connected,
    });
    this.pool = new TransactionPool({
      chainId: c.chain_id,
      log: this.logger,
      load: (hash) => this.chain.loadTransaction(hash),
    });
    // A head this node lacks, announced by a proven peer: verify soon rather than at the interval.
    const announced = (peer: Peer, hash: Uint8Array | null): void => {
      if (!peer.registered && !this.relay.isProven(peer)) return;
      if (hash !== null && (this.head === null || !idsEqual(hash, this.head.hash))) this.verification?.wake();
    };
    this.relay.on("ping", (peer, ping) => announced(peer, ping.latestBlockHash));
    this.relay.on("peer", (peer) => {
      announced(peer, peer.latestBlockHash);
      this.state?.saveSoon();
    });
    this.relay.on("transaction", (hash, peer) => {
      if (this.validationKey === null) return;
      this.prefetch.hintProvider(hash, peer);
      this.pool.intake(hash);
    });
  }

  // ---- state ----

  get isConnected(): boolean {
    return this.connected;
  }

  /** True while the validation worker runs. */
  get isValidating(): boolean {
    return this.validation?.running ?? false;
  }

  /** True while the verification worker runs. */
  get isVerifying(): boolean {
    return this.verification?.running ?? false;
  }

  get latestBlockHash(): Uint8Array | null {
    return this.head?.hash ?? null;
  }

  get latestBlock(): Block | null {
    return this.head?.block ?? null;
  }

  get chainId(): number {
    return this.config.chain_id;
  }

  get peerTimeoutSeconds(): number {
    return this.config.peer_timeout;
  }

  get peerTimeoutIntervalSeconds(): number {
    return this.config.peer_timeout_interval;
  }

  /** The validation public key in use, or null. */
  get validationPublicKey(): Uint8Array | null {
    return this.relay.validationPublicKey;
  }

  /** Statistics of the consensus workers. */
  get consensusStats(): {
    validation: ValidationWorker["stats"] | null;
    verification: VerificationWorker["stats"] | null;
  } {
    return { validation: this.validation?.stats ?? null, verification: this.verification?.stats ?? null };
  }

  on<E extends keyof NodeEvents>(event: E, listener: (...args: NodeEvents[E]) => void): () => void {
    this.events.on(event, listener as never);
    return () => this.events.off(event, listener as never);
  }

  // ---- lifecycle ----

  /** Starts storage and the relay (binding the sockets, bootstrapping). Idempotent. */
  async connect(): Promise<void> {
    if (this.closed) throw new NodeClosedError();
    if (this.connected) return;
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<void> {
    await this.store.start();
    this.state?.saveNow(); // the relay key is kept before anyone sees it
    await this.relay.start();
    const c = this.config;
    c.incoming_port = this.relay.incomingPort;
    c.relay_public_key = this.relay.publicKeyHex;
    c.relay_public_key_bytes = this.relay.publicKey;
    this.connected = true;
    this.logger.info(`Connected: relay key ${this.relay.publicKeyHex}, port ${this.relay.incomingPort}`);
    if (c.verified_up_to !== null) {
      this.verifiedUpTo = idFromKey(c.verified_up_to.slice(2));
      this.verified.add(idKey(this.verifiedUpTo));
    }
    const start = this.startHead;
    if (start !== null && this.head === null) {
      this.verified.add(idKey(start.hash));
      this.headLoader = this.loadStartHead(start.hash, start.how);
      // connect() resolves once the head is loaded: at once when it is stored here, else when a
      // peer served it, or after HEAD_LOAD_WAIT_MS (loading goes on in the background).
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        this.headLoader.then(() => true),
        new Promise<false>((r) => {
          timer = setTimeout(() => r(false), HEAD_LOAD_WAIT_MS);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
      if (!waited)
        this.logger.warn(
          `${start.how} head ${idKey(start.hash).slice(0, 16)} is not available yet; still loading it`,
        );
    }
  }

  /** Loads the configured or restored head (locally, else from peers, retrying) and makes it the head. */
  private async loadStartHead(hash: Uint8Array, how: "configured" | "restored"): Promise<void> {
    while (this.connected && this.head === null) {
      const block = await this.getBlock(hash);
      if (block !== null) {
        if (this.head === null) this.setHead({ hash, block }, how);
        return;
      }
      await new Promise((r) => setTimeout(r, 1000).unref());
    }
  }

  /** What the state file holds now. */
  private savedState(): SavedNodeState {
    const c = this.config;
    const head = this.head?.hash ?? this.startHead?.hash ?? null;
    const peers = this.relay.peerAddresses(SAVED_PEERS);
    // Peers of an earlier run not met again this time are kept (after those met), up to the limit.
    for (const a of this.restoredPeers) if (peers.length < SAVED_PEERS && !peers.includes(a)) peers.push(a);
    return {
      version: 1,
      chain_id: c.chain_id,
      relay_secret_key: c.relay_secret_key ?? Buffer.from(this.relay.keys.secretKey).toString("hex"),
      latest_block_hash: head === null ? null : `0x${idKey(head)}`,
      peers,
      saved_at: new Date().toISOString(),
    };
  }

  /**
   * Connects and starts the verification worker: it follows the heads peers report, verifies
   * them and adopts the best verified one. Idempotent.
   */
  async verify(): Promise<void> {
    await this.connect();
    if (this.verification !== null) return;
    const c = this.config;
    this.verification = new VerificationWorker({
      chainId: c.chain_id,
      log: this.logger,
      lookup: this.lookup,
      intervalSeconds: c.verify_blockchain_interval,
      maxStaleSeconds: c.verification_max_stale_seconds,
      maxFutureSkew: c.verification_max_future_skew,
      trustDefaultSeed: c.default_seed !== null,
      peers: () => this.relay.provenPeers(),
      latest: () => this.head,
      getBlock: (hash, peer) => this.getBlock(hash, peer),
      isVerified: (hash) => this.verified.has(idKey(hash)),
      markVerified: (hash) => this.verified.add(idKey(hash)),
      rejection: (hash) => this.rejectedBlocks.get(idKey(hash)),
      reject: (hash, reason) => this.rejectedBlocks.set(idKey(hash), reason),
      storeAtoms: (atoms) => this.storeAtoms(atoms),
      prepare: (block, peer) => this.prefetch.transactions(block, peer),
      adopt: (head, how) => {
        const previous = this.head;
        this.setHead(head, how);
        this.validation?.resetSpacing();
        if (previous !== null && this.validationKey !== null) void this.requeueAbandoned(previous, head);
      },
    });
    this.verification.start();
    this.logger.info("Verification started");
  }

  /**
   * Connects, prepares validator state (the key joins the validation route; pings say this node
   * validates), starts the verification worker (which follows peers' heads, or trusts the default
   * seed's), creates a genesis block when there is no head and none is configured, and starts the
   * validation worker, which produces blocks whenever this key is the scheduled validator.
   * Without an argument the config's `validation_secret_key` is used. Idempotent (a new key
   * replaces the old).
   */
  async validate(secretKey?: SecretKeyInput): Promise<void> {
    const given = secretKey ?? this.config.validation_secret_key;
    if (given === null || given === undefined)
      throw new ConfigError("validation_secret_key", "validate() needs a key (argument or config)");
    const secret = secretKeyBytes(given);
    await this.connect();
    await this.verify();
    this.validationKey = Uint8Array.from(secret);
    this.relay.setValidationKey(this.validationKey);
    this.relay.isValidator = true;
    const pub = this.relay.validationPublicKey!;
    this.config.validation_secret_key = Buffer.from(secret).toString("hex");
    this.config.validation_public_key = idKey(pub);
    this.config.validation_public_key_bytes = pub;
    if (this.head === null && this.startHead === null) {
      const { block, atoms } = await createGenesis({
        chainId: this.config.chain_id,
        timestamp: Math.floor(Date.now() / 1000),
        validatorSecretKey: secret,
      });
      const hash = block.hash();
      await this.storeAtoms(atoms);
      this.verified.add(idKey(hash));
      this.setHead({ hash, block }, "genesis");
    }
    if (this.validation === null) {
      this.validation = new ValidationWorker({
        chainId: this.config.chain_id,
        log: this.logger,
        lookup: this.lookup,
        pool: this.pool,
        latest: () => this.head,
        validationSecretKey: () => this.validationKey,
        publish: (built) => this.publish(built),
      });
      this.validation.start();
      this.logger.info(`Validation started with key ${idKey(pub)}`);
    }
    this.relay.ping();
  }

  /** Stops the workers, the relay and storage, and flushes the logs. Idempotent. */
  async close(): Promise<void> {
    if (this.connecting !== null) await this.connecting.catch(() => {});
    this.closed = true;
    const wasConnected = this.connected;
    this.connected = false;
    await Promise.all([this.validation?.stop(), this.verification?.stop()]);
    await this.headLoader;
    this.validation = null;
    this.verification = null;
    if (wasConnected) {
      this.state?.saveNow(); // with the peers, before the relay forgets them
      await this.relay.stop();
      await this.store.stop();
    }
    if (this.logger.enabled) this.logger.info("Node closed");
    this.logger.close();
  }

  // ---- head ----

  private setHead(head: Head, how: HeadSource): void {
    this.head = head;
    this.chain.rememberBlock(head.hash, head.block);
    this.relay.latestBlockHash = head.hash;
    this.logger.info(`Head ${how}: height ${head.block.height} ${idKey(head.hash)}`);
    this.state?.saveNow(); // before any peer hears of it
    this.events.emit("head", head.hash, head.block, how);
    if (this.connected && how !== "produced") this.relay.ping();
  }

  /**
   * Puts the transactions of blocks that left the chain (the old head's branch, back to where the
   * new head forks off) back in the validator's queue; block production decides again if they apply.
   */
  private async requeueAbandoned(previous: Head, head: Head): Promise<void> {
    try {
      const hashes = await abandonedTransactions(this.lookup, (h) => this.getBlock(h), previous, head);
      const txs = await Promise.all(hashes.map((h) => this.chain.loadTransaction(h)));
      if (txs.length === 0) return;
      this.pool.requeue(txs);
      this.logger.info(`${txs.length} transactions of abandoned blocks are queued again`);
    } catch (err) {
      this.logger.warn(`transactions of abandoned blocks not queued again: ${(err as Error).message}`);
    }
  }

  private async publish(built: BuiltBlock): Promise<void> {
    const hash = built.block.hash();
    await this.storeAtoms(built.atoms);
    const expires = Date.now() / 1000 + VALIDATOR_ADVERTISEMENT_TTL;
    const ads: [Uint8Array, PayloadType, number][] = [
      [hash, PayloadType.LIST, expires],
      [built.block.bodyHash(), PayloadType.LIST, expires],
      [built.block.transactionsHash, PayloadType.LIST, expires],
      [built.block.receiptsHash, PayloadType.LIST, expires],
      [built.block.accountsHash, PayloadType.LIST, expires],
    ];
    for (const r of built.receipts) ads.push([r.id(), PayloadType.LIST, expires]);
    this.store.addAtomAdvertisements(ads.filter(([id]) => !idsEqual(id, new Uint8Array(32))));
    this.verified.add(idKey(hash));
    this.setHead({ hash, block: built.block }, "produced");
    this.relay.ping();
  }

  // ---- storage ----

  /** Stores atoms in both tiers (a full hot tier skips them, as the seed says). */
  async storeAtoms(atoms: readonly Expr[]): Promise<void> {
    await Promise.all(atoms.map((a) => this.store.putAtom(a)));
  }

  /** The seed's node.atom_advertisments. */
  get atomAdvertisements(): readonly AtomAdvertisement[] {
    return this.store.atomAdvertisements;
  }

  addAtomAdvertisement(
    atomId: Uint8Array,
    payloadType: PayloadType = PayloadType.ATOM,
    expiresAt: number | null = null,
  ): AtomAdvertisement {
    return this.store.addAtomAdvertisement(atomId, payloadType, expiresAt);
  }

  addAtomAdvertisements(entries: Iterable<AdvertisementInput>): AtomAdvertisement[] {
    return this.store.addAtomAdvertisements(entries);
  }

  /** The seed's get_atom_list_from_storage: a list's items (local, then peers), or null. */
  getAtomList(root: Uint8Array, options?: FetchOptions): Promise<Expr[] | null> {
    return this.store.getAtomList(root, options);
  }

  getAtomListFromStorage(root: Uint8Array, options?: FetchOptions): Promise<Expr[] | null> {
    return this.store.getAtomList(root, options);
  }

  // ---- chain queries ----

  /** A block by hash (cache, storage, then peers; `peer` is tried first as its provider), or null. */
  getBlock(hash: Uint8Array, peer?: Peer): Promise<Block | null> {
    return this.chain.getBlock(hash, peer);
  }

  /** The account at `address` in the state of the head (or of `blockHash`), or null. */
  async getAccount(address: Uint8Array, blockHash?: Uint8Array): Promise<Account | null> {
    const block = blockHash === undefined ? this.latestBlock : await this.getBlock(blockHash);
    if (block === null) return null;
    return new Accounts(this.lookup, block.accountsHash).get(address);
  }

  /**
   * Finds a transaction in the last `depth` blocks of the head's chain (default 64): its block,
   * position and receipt; null when it is not there.
   */
  getTransactionReceipt(txHash: Uint8Array, depth = 64): Promise<TransactionLocation | null> {
    return this.chain.findTransaction(this.latestBlockHash, txHash, depth);
  }

  // ---- TransactionSender ----

  queueLocalTransaction(tx: Transaction): boolean {
    return this.pool.submit(tx);
  }

  validatorPeers(): Peer[] {
    const route = this.relay.validationRoute;
    const out: Peer[] = [];
    for (const key of route.keys()) {
      const p = route.get(key);
      if (p !== undefined && this.relay.isProven(p)) out.push(p);
    }
    return out;
  }

  peersWithAddress(): Peer[] {
    return [...this.relay.peers.values()];
  }

  requestRoute(peer: Peer, route: RouteId): void {
    this.relay.requestRoute(peer, route);
  }

  sendTransactionHash(peer: Peer, hash: Uint8Array): boolean {
    return this.relay.sendTransaction(peer, hash);
  }
}

function validAddress(a: string): boolean {
  try {
    parseSeed(a);
    return true;
  } catch {
    return false;
  }
}

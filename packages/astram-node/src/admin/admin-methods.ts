import type { AstramNode } from "../node.js";
import { P2P_LIMITS } from "../p2p/limits.js";
import { SOFTWARE_VERSION } from "../p2p/p2p-service.js";
import type { PeerControl } from "../p2p/peer-control.js";
import type { Method } from "../rpc/methods.js";
import { endpointParam, ipParam, namedParams, secondsParam, textParam } from "./admin-params.js";

/** The longest ban reason kept (bans.json keeps 200 characters). */
const MAX_REASON = 200;

/**
 * The admin interface's JSON-RPC methods over the node's peer control. Parameters by name or by
 * position; every method validates them before it changes anything. Names match the `astram-node`
 * client subcommands; `getpeerinfo` and `listbans` are aliases (bitcoind's habits).
 */
export function adminMethods(node: AstramNode, control: PeerControl): Record<string, Method> {
  const peers: Method = (params) => {
    namedParams(params, [], 0);
    return control.peerDetails();
  };
  const bans: Method = (params) => {
    namedParams(params, [], 0);
    return control.bans();
  };
  return {
    status: (params) => {
      namedParams(params, [], 0);
      const list = control.peerDetails();
      return {
        network: node.params.name,
        networkId: node.params.networkId,
        version: SOFTWARE_VERSION,
        height: node.chain.height,
        tip: node.chain.tip.hash,
        peers: list.length,
        inbound: list.filter((p) => p.direction === "inbound").length,
        outbound: list.filter((p) => p.direction === "outbound").length,
        bans: control.bans().length,
        addresses: control.addresses().length,
      };
    },
    peers,
    getpeerinfo: peers,
    addpeer: async (params) => {
      const address = endpointParam(namedParams(params, ["address"], 1).address, "address");
      return { address, ...(await control.addPeer(address)) };
    },
    removepeer: (params) => {
      const address = endpointParam(namedParams(params, ["address"], 1).address, "address");
      return { address, removed: control.removePeer(address) };
    },
    disconnect: (params) => {
      const target = textParam(namedParams(params, ["target"], 1).target, "target", 100);
      return { target, disconnected: control.disconnect(target) };
    },
    ban: (params) => {
      const p = namedParams(params, ["ip", "seconds", "reason"], 1);
      const ip = ipParam(p.ip, "ip");
      const seconds =
        p.seconds === undefined ? P2P_LIMITS.banDurationMs / 1000 : secondsParam(p.seconds, "seconds");
      const reason =
        p.reason === undefined ? "banned by the operator" : textParam(p.reason, "reason", MAX_REASON);
      control.ban(ip, seconds * 1000, reason);
      const now = Date.now();
      return (
        control.bans().find((b) => b.ip === ip) ?? { ip, until: now + seconds * 1000, reason, createdAt: now }
      );
    },
    unban: (params) => {
      const ip = ipParam(namedParams(params, ["ip"], 1).ip, "ip");
      return { ip, lifted: control.unban(ip) };
    },
    bans,
    listbans: bans,
    clearbans: (params) => {
      namedParams(params, [], 0);
      return { lifted: control.clearBans() };
    },
    addresses: (params) => {
      namedParams(params, [], 0);
      return control.addresses();
    },
  };
}

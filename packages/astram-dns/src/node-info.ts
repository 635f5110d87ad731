/**
 * One registered node as `/nodes` returns it (field names and meaning of facts §9.1).
 * Times are Unix seconds; `uptime_hours` is (last_seen - first_seen) / 3600, i.e. how long the
 * node has kept re-registering, computed at its latest registration (0 on the first one).
 */
export interface NodeInfo {
  address: string;
  port: number;
  version: string;
  height: number;
  last_seen: number;
  first_seen: number;
  uptime_hours: number;
}

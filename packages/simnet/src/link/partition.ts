/**
 * Which hosts may talk while the network is split: a set of groups of IP addresses. Two hosts in
 * different groups may not; a host in no group (an attacker, say) talks to everyone. No groups (the
 * default, or after a heal) means one network.
 */
export class Partition {
  private groupOf = new Map<string, number>();

  /** Splits the network into these groups; a host may appear in one group only. */
  split(groups: readonly (readonly string[])[]): void {
    const next = new Map<string, number>();
    groups.forEach((group, i) => {
      for (const host of group) {
        if (next.has(host)) throw new RangeError(`host ${host} is in two partition groups`);
        next.set(host, i);
      }
    });
    this.groupOf = next;
  }

  heal(): void {
    this.groupOf = new Map();
  }

  get active(): boolean {
    return this.groupOf.size > 0;
  }

  allows(a: string, b: string): boolean {
    const ga = this.groupOf.get(a);
    const gb = this.groupOf.get(b);
    return ga === undefined || gb === undefined || ga === gb;
  }
}

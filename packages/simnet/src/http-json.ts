/** GETs JSON with a deadline; undefined on any failure (a node being killed is normal here). */
export async function getJson<T>(url: string, timeoutMs = 3_000): Promise<T | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return (await res.json()) as T;
  } catch {
    return undefined;
  }
}

/** GETs bytes with a deadline; undefined on any failure. */
export async function getBytes(url: string, timeoutMs = 3_000): Promise<Uint8Array | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    return new Uint8Array(await res.arrayBuffer());
  } catch {
    return undefined;
  }
}

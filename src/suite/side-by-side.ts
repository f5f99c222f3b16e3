// Requests sent at once, judged as if one after another: every one is awaited, so none is left running when the
// first failure is thrown, and the failure thrown is the first in the order given, not the first to happen.

/** What each of `T`'s promises resolves to, in order. */
type Values<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/** Awaits every promise; when any was rejected, throws the first rejection in the order given, else the values. */
export async function sideBySide<T extends readonly unknown[]>(promises: T): Promise<Values<T>> {
  const ended = await Promise.allSettled(promises);
  const failed = ended.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return ended.map((r) => (r as PromiseFulfilledResult<unknown>).value) as Values<T>;
}

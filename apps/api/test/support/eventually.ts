/**
 * Reads until `check` holds or the (generous) timeout passes, then returns the last value for
 * the test to assert on: what eventually-consistent paths promise, never a timing assertion.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

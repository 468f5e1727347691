/**
 * Waits until `done` holds, checking every few milliseconds, for at most
 * `timeoutMs` of real time (generous: a loaded CI machine is slow, and the
 * condition is what the test asserts, not the time it takes).
 */
export async function waitUntil(
  done: () => boolean | Promise<boolean>,
  what = "the condition",
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

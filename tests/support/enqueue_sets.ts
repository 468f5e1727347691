import { ENQUEUE } from "../../db/enqueue.ts";

/**
 * How many messages each set-wise write of `ENQUEUE` held while `fn` ran: a test that
 * sends at once can show its messages were queued together.
 */
export async function enqueueSetSizes(fn: () => Promise<void>): Promise<number[]> {
  const sizes: number[] = [];
  const statements = ENQUEUE.statements;
  ENQUEUE.statements = (items) => {
    sizes.push(items.length);
    return statements(items);
  };
  try {
    await fn();
  } finally {
    ENQUEUE.statements = statements;
  }
  return sizes;
}

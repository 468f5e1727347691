/** The sandbox channel's simulated delays, as a channel's options hold them. */

/** Delays of the simulated network and receipts, from the channel's options. */
export interface SandboxTiming {
  /** From handing a message over (the phone has it) to the network saying it took it. */
  acceptAfterMs: number;
  /** From sent to delivered. */
  deliverAfterMs: number;
  /** From delivered to read. */
  readAfterMs: number;
}

export const DEFAULT_SANDBOX_TIMING: SandboxTiming = {
  acceptAfterMs: 0,
  deliverAfterMs: 1000,
  readAfterMs: 2000,
};

/** The sandbox's delays from a channel's options, defaults where unset. */
export function sandboxTiming(options: Record<string, unknown>): SandboxTiming {
  const ms = (value: unknown, fallback: number) =>
    typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
  return {
    acceptAfterMs: ms(options.acceptAfterMs, DEFAULT_SANDBOX_TIMING.acceptAfterMs),
    deliverAfterMs: ms(options.deliverAfterMs, DEFAULT_SANDBOX_TIMING.deliverAfterMs),
    readAfterMs: ms(options.readAfterMs, DEFAULT_SANDBOX_TIMING.readAfterMs),
  };
}

/**
 * API clients for the broadcast benchmark, on a thread of their own as the
 * hospital's systems are processes of their own: sends texts through
 * `POST /api/v1/messages` from `clients` connections from "start" until
 * "stop", then answers how many were accepted and over how long.
 */
import { cpuTimeMs } from "./machine.ts";

export interface LoadStart {
  base: string;
  key: string;
  clients: number;
  /** Numbers start here, so runs never write to the same contacts. */
  from: number;
}

export interface LoadResult {
  accepted: number;
  seconds: number;
  /** The CPU time the clients took, in ms: not Kabar's. */
  cpuMs: number;
}

const scope = self as unknown as {
  onmessage: (event: MessageEvent<LoadStart | "stop">) => void;
  postMessage(message: LoadResult): void;
};

let stopped = false;

scope.onmessage = async (event) => {
  if (event.data === "stop") {
    stopped = true;
    return;
  }
  const { base, key, clients, from } = event.data;
  stopped = false;
  let accepted = 0;
  let n = from;
  const started = performance.now();
  const cpuStarted = cpuTimeMs("thread");
  await Promise.all(Array.from({ length: clients }, async () => {
    while (!stopped) {
      const res = await fetch(`${base}/api/v1/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ to: `0813${String(n++).padStart(7, "0")}`, text: "Hasil lab siap" }),
      });
      await res.body?.cancel();
      if (res.status === 202) accepted++;
    }
  }));
  scope.postMessage({
    accepted,
    seconds: (performance.now() - started) / 1000,
    cpuMs: cpuTimeMs("thread") - cpuStarted,
  });
};

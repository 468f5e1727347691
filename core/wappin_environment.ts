/** A Wappin-compatible integration's environment, as Wappin names them. */
export const WAPPIN_ENVIRONMENTS = ["PRODUCTION", "UAT"] as const;
export type WappinEnvironment = (typeof WAPPIN_ENVIRONMENTS)[number];

/** A sign-in session is `mfa` while the second factor is still owed, then `full`. */
export const LOGIN_STAGES = ["mfa", "full"] as const;
export type LoginStage = typeof LOGIN_STAGES[number];

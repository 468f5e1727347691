/** Whether a message came in from a person (`in`) or went out from Kabar (`out`). */
export const MESSAGE_DIRECTIONS = ["in", "out"] as const;
export type MessageDirection = typeof MESSAGE_DIRECTIONS[number];

/** What a message carries. */

/** The types of a message with a file. */
export const MEDIA_MESSAGE_TYPES = ["image", "document", "audio", "video"] as const;
export type MediaMessageType = typeof MEDIA_MESSAGE_TYPES[number];

/** Message types a channel can send. */
export const OUTBOUND_TYPES = ["text", ...MEDIA_MESSAGE_TYPES] as const;
export type OutboundType = typeof OUTBOUND_TYPES[number];

/** Every message type; a channel can receive all of them. */
export const MESSAGE_TYPES = [...OUTBOUND_TYPES, "location"] as const;
export type MessageType = typeof MESSAGE_TYPES[number];

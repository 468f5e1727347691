import assert from "node:assert/strict";
import { deliverySubject } from "../../core/delivery_subject.ts";

Deno.test("a delivery's body says which message and status, conversation or channel it was about", () => {
  assert.deepEqual(
    deliverySubject(
      JSON.stringify({ type: "message.status", data: { status: "read", message: { id: 77 } } }),
    ),
    { messageId: 77, status: "read" },
  );
  assert.deepEqual(
    deliverySubject(JSON.stringify({ data: { changed: ["status"], conversation: { id: 5 } } })),
    { conversationId: 5 },
  );
  assert.deepEqual(deliverySubject(JSON.stringify({ data: { channel: { id: 2 } } })), {
    channelId: 2,
  });
  for (const other of ["not json", "null", "[]", '{"data": 3}', '{"phone": "62812"}']) {
    assert.deepEqual(deliverySubject(other), {}, other);
  }
});

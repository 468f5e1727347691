import assert from "node:assert/strict";
import { canSeeConversation, type Viewer } from "../../core/conversation_visibility.ts";

const rina: Viewer = { id: 7, role: "agent", departmentIds: [1] }; // Pendaftaran
const lost: Viewer = { id: 8, role: "agent", departmentIds: [] };

Deno.test("an agent sees what is theirs, their department's, or a shared channel's", () => {
  const cases: [string, Viewer, Parameters<typeof canSeeConversation>[1], boolean][] = [
    ["assigned to her, another department", rina, {
      assigneeId: 7,
      departmentId: 2,
      channelDepartmentIds: [2],
    }, true],
    ["her department", rina, { assigneeId: null, departmentId: 1, channelDepartmentIds: [] }, true],
    ["her department, assigned to a colleague", rina, {
      assigneeId: 9,
      departmentId: 1,
      channelDepartmentIds: [],
    }, true],
    [
      "another department",
      rina,
      { assigneeId: null, departmentId: 2, channelDepartmentIds: [1] },
      false,
    ],
    ["no department, a channel of nobody's", rina, {
      assigneeId: null,
      departmentId: null,
      channelDepartmentIds: [],
    }, true],
    ["no department, a channel of hers", rina, {
      assigneeId: null,
      departmentId: null,
      channelDepartmentIds: [2, 1],
    }, true],
    ["no department, another department's channel", rina, {
      assigneeId: null,
      departmentId: null,
      channelDepartmentIds: [2],
    }, false],
    ["no department of her own, a shared channel", lost, {
      assigneeId: null,
      departmentId: null,
      channelDepartmentIds: [],
    }, true],
    ["no department of her own, a department's channel", lost, {
      assigneeId: null,
      departmentId: null,
      channelDepartmentIds: [1],
    }, false],
  ];
  for (const [what, viewer, place, expected] of cases) {
    assert.equal(canSeeConversation(viewer, place), expected, what);
  }
});

Deno.test("supervisors and administrators see every conversation", () => {
  const hidden = { assigneeId: 3, departmentId: 5, channelDepartmentIds: [5] };
  for (const role of ["supervisor", "admin"] as const) {
    assert.equal(canSeeConversation({ id: 1, role, departmentIds: [] }, hidden), true, role);
  }
});

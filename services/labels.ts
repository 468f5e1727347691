/**
 * What the labels page does to labels: add, rename and recolour, delete.
 * Each change writes its audit line (in `db/labels.ts`) and tells open
 * inbox pages (`conversation.labels`), which draw their labels again.
 */
import type { Clock } from "../core/clock.ts";
import type { LabelSettingsInput } from "../core/label_input.ts";
import type { Actor } from "../db/audit_log.ts";
import type { Db } from "../db/client.ts";
import {
  createLabel,
  deleteLabel,
  type Label,
  type LabelWithCount,
  listLabelsWithCounts,
  updateLabel,
} from "../db/labels.ts";
import type { EventBus } from "../sessions/events.ts";

export interface LabelServiceDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
}

export class LabelService {
  constructor(private readonly deps: LabelServiceDeps) {}

  /** Every label with how many conversations carry it. */
  list(): Promise<LabelWithCount[]> {
    return listLabelsWithCounts(this.deps.db);
  }

  /** Adds a label; a name already used, in any case, is a 409 on `name`. */
  async create(actor: Actor, input: LabelSettingsInput): Promise<Label> {
    const label = await createLabel(this.deps.db, this.deps.clock, actor, input);
    this.#changed(label.id);
    return label;
  }

  /** Renames and recolours a label (404 when there is none; 409 on `name` when it is taken). */
  async update(actor: Actor, id: number, input: LabelSettingsInput): Promise<void> {
    const before = await updateLabel(this.deps.db, this.deps.clock, actor, id, input);
    if (before.name !== input.name || before.color !== input.color) this.#changed(id);
  }

  /** Deletes a label and takes it off every conversation; answers how many carried it. */
  async remove(actor: Actor, id: number): Promise<Label & { conversationCount: number }> {
    const deleted = await deleteLabel(this.deps.db, this.deps.clock, actor, id);
    this.#changed(id);
    return deleted;
  }

  #changed(labelId: number): void {
    this.deps.events.publish({ type: "conversation.labels", labelId });
  }
}

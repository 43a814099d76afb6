/**
 * The webhook delivery queue in the local SQLite file, beside the state it lets the core record: one
 * table, its own connection. A delivery is queued in the same moment the publisher reports success for
 * it, so a restart retries it instead of losing it. Targets are keyed by a hash of their URL, which
 * may hold a token. A target's pause is kept beside its queue: after a restart, new events still queue
 * behind the deliveries of the previous run instead of overtaking them.
 * Layer: adapter.
 */
import type { NewDelivery, QueuedDelivery, QueueSummary, WebhookQueue } from '../webhook/webhook-queue.js';
import { openSqliteFile } from './sqlite-file.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS webhook_deliveries (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    target          TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    first_failed_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL,
    UNIQUE (target, event_id)
  );
  CREATE TABLE IF NOT EXISTS webhook_pauses (
    target       TEXT    PRIMARY KEY,
    paused_until INTEGER NOT NULL
  );
`;

export interface SqliteWebhookQueue extends WebhookQueue {
  close(): void;
}

export function openSqliteWebhookQueue(path: string): SqliteWebhookQueue {
  const db = openSqliteFile({ path, schema: SCHEMA });
  const insert = db.prepare<[string, string, string, number, number, number, string]>(
    `INSERT OR IGNORE INTO webhook_deliveries
       (target, event_id, body, attempts, first_failed_at, next_attempt_at, last_error)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectDue = db.prepare<[string, number, number], QueuedDelivery>(
    `SELECT seq, event_id AS eventId, body, attempts, first_failed_at AS firstFailedAt,
            next_attempt_at AS nextAttemptAt
     FROM webhook_deliveries WHERE target = ? AND next_attempt_at <= ? ORDER BY seq LIMIT ?`,
  );
  const selectSummary = db.prepare<[string], { count: number; nextAttemptAt: number | null }>(
    `SELECT count(*) AS count, min(next_attempt_at) AS nextAttemptAt
     FROM webhook_deliveries WHERE target = ?`,
  );
  const selectLastError = db.prepare<[string], { lastError: string }>(
    'SELECT last_error AS lastError FROM webhook_deliveries WHERE target = ? ORDER BY seq LIMIT 1',
  );
  const update = db.prepare<[number, number, string, string, number]>(
    `UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?
     WHERE target = ? AND seq = ?`,
  );
  const postponeAll = db.prepare<[number, string, number]>(
    'UPDATE webhook_deliveries SET next_attempt_at = ? WHERE target = ? AND next_attempt_at < ?',
  );
  const deleteOne = db.prepare<[string, number]>(
    'DELETE FROM webhook_deliveries WHERE target = ? AND seq = ?',
  );
  const deleteAll = db.prepare<[string]>('DELETE FROM webhook_deliveries WHERE target = ?');
  const upsertPause = db.prepare<[string, number]>(
    `INSERT INTO webhook_pauses (target, paused_until) VALUES (?, ?)
     ON CONFLICT (target) DO UPDATE SET paused_until = excluded.paused_until`,
  );
  const selectPause = db.prepare<[string], { pausedUntil: number }>(
    'SELECT paused_until AS pausedUntil FROM webhook_pauses WHERE target = ?',
  );
  const deletePause = db.prepare<[string]>('DELETE FROM webhook_pauses WHERE target = ?');
  const pause = db.transaction((target: string, until: number) => {
    postponeAll.run(until, target, until);
    upsertPause.run(target, until);
  });
  const clearAll = db.transaction((target: string) => {
    deletePause.run(target);
    return deleteAll.run(target).changes;
  });
  const addAll = db.transaction((target: string, deliveries: readonly NewDelivery[]) => {
    for (const d of deliveries) {
      insert.run(target, d.eventId, d.body, d.attempts, d.firstFailedAt, d.nextAttemptAt, d.lastError);
    }
  });

  return {
    add(target, deliveries) {
      if (deliveries.length > 0) addAll.immediate(target, deliveries);
    },
    due: (target, now, limit) => selectDue.all(target, now, limit),
    summary(target): QueueSummary {
      const row = selectSummary.get(target);
      if (row === undefined || row.count === 0) return { count: 0 };
      return {
        count: row.count,
        nextAttemptAt: row.nextAttemptAt ?? undefined,
        lastError: selectLastError.get(target)?.lastError,
      };
    },
    reschedule(target, seq, change) {
      update.run(change.attempts, change.nextAttemptAt, change.lastError, target, seq);
    },
    postpone(target, until) {
      pause.immediate(target, until);
    },
    pausedUntil: (target) => selectPause.get(target)?.pausedUntil ?? 0,
    remove(target, seq) {
      deleteOne.run(target, seq);
    },
    clear: (target) => clearAll.immediate(target),
    close() {
      if (db.open) db.close();
    },
  };
}

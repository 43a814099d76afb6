/**
 * The comparison row: a poller written the obvious way. It lists small pages one after another and,
 * for each listed project in turn, reads its state (GetItem), publishes its event (Publish) and writes
 * its state (PutItem), each waiting for the one before. It detects and builds events with the same core
 * functions as the real poller, so both publish the same events; only the I/O pattern differs.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createDynamoDbProcessStore } from '../../shared/adapters/dynamodb/dynamodb-process-store.js';
import { fromProjectItem, toProjectItem } from '../../shared/adapters/dynamodb/project-item.js';
import { DEFAULT_MAX_SNAPSHOT_BYTES, projectKey } from '../../shared/adapters/dynamodb/state-table.js';
import { MIDAXO_AUDIENCE } from '../../shared/adapters/midaxo/midaxo-endpoints.js';
import { createMidaxoProjectSource } from '../../shared/adapters/midaxo/midaxo-project-source.js';
import { createTokenProvider } from '../../shared/adapters/midaxo/token-provider.js';
import { toSnsMessage } from '../../shared/adapters/sns/sns-message.js';
import { loadPollerConfig } from '../../shared/config/poller-config.js';
import { detectChanges, type PollMode } from '../../shared/core/detect-changes.js';
import type { Project, StoredProject } from '../../shared/core/ports.js';
import { emptySummary, type ProcessSummary } from '../../shared/core/scan-listing.js';
import { updateWindowFor } from '../../shared/core/update-window.js';
import { NAIVE_PAGE_SIZE } from '../bench-model.js';
import { type BenchPoller, type PollerTarget, pollerEnvironment } from '../poller/poller-target.js';

export function createNaivePoller(target: PollerTarget, pageSize = NAIVE_PAGE_SIZE): BenchPoller {
  const config = loadPollerConfig(pollerEnvironment(target));
  const { processId, clock } = target;
  const { dynamodb, sns } = target.aws;
  const tableName = config.stateTableName;
  const sourceBase = config.midaxo.apiUrl ?? target.midaxo.apiUrl;
  const source = createMidaxoProjectSource({
    apiUrl: sourceBase,
    pageSize,
    tokens: createTokenProvider({
      authUrl: target.midaxo.authUrl,
      audience: MIDAXO_AUDIENCE,
      credentials: { clientId: target.midaxo.clientId, clientSecret: target.midaxo.clientSecret },
    }),
  });
  // Only for the watermark: one GetItem before and one UpdateItem after, as the real poller does.
  const processes = createDynamoDbProcessStore({ client: dynamodb, tableName });

  async function pollProject(project: Project, mode: PollMode, summary: ProcessSummary): Promise<void> {
    const { Item } = await dynamodb.send(
      new GetItemCommand({
        TableName: tableName,
        Key: projectKey(processId, project.id),
        ConsistentRead: true,
      }),
    );
    const stored = new Map<string, StoredProject>();
    if (Item !== undefined) stored.set(project.id, fromProjectItem(processId, tableName, Item));
    const detected = detectChanges([project], stored, {
      mode,
      processId,
      publishBaseline: config.publishBaseline,
      ignoredFields: config.ignoredFields,
      sourceBase,
      detectedAt: clock.now(),
    });
    for (const { event } of detected.changes) {
      await sns.send(new PublishCommand({ TopicArn: config.topicArn, ...toSnsMessage(event, config) }));
    }
    for (const state of [...detected.silent, ...detected.changes.map((change) => change.state)]) {
      const item = toProjectItem(processId, state, new Date().toISOString(), DEFAULT_MAX_SNAPSHOT_BYTES);
      await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item }));
    }
    summary.scanned += 1;
    summary.created += detected.created;
    summary.updated += detected.updated;
    summary.unchanged += detected.unchanged;
    summary.published += detected.changes.length;
  }

  return {
    async run() {
      const runStart = clock.now();
      const watermark = (await processes.claim(processId, 'naive', new Date(runStart.getTime() + 900_000)))
        ?.watermark;
      const mode = watermark === undefined ? 'baseline' : 'incremental';
      const window = updateWindowFor(watermark, runStart, config.overlapSeconds);
      const summary = emptySummary(processId, mode);
      const seenCursors = new Set<string>();
      let after: string | undefined;
      for (;;) {
        const page = await source.fetchPage({ processId, window, after });
        if (page.projects.length === 0) break;
        summary.pages += 1;
        for (const project of page.projects) await pollProject(project, mode, summary);
        if (page.endCursor === null || seenCursors.has(page.endCursor)) break;
        seenCursors.add(page.endCursor);
        after = page.endCursor;
      }
      await processes.release(processId, 'naive', { watermark: window.updatedBefore, outboxDelivered: true });
      summary.complete = true;
      summary.watermark = window.updatedBefore;
      return summary;
    },
  };
}

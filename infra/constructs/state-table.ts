/**
 * The poller's state: watermark per process, hash and snapshot per project, lease and checkpoint.
 * Losing it would re-baseline every process and skip the changes made meanwhile, so the table
 * outlives the stack and cannot be deleted by accident.
 * Layer: infrastructure.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { STATE_TABLE_KEYS } from '../../shared/adapters/dynamodb/state-table.js';

export interface StateTableProps {
  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Point-in-time recovery window.
   * @default 35 days (the maximum)
   */
  readonly recoveryPeriodInDays?: number;
}

export class StateTable extends Construct {
  public readonly table: ITable;

  constructor(scope: Construct, id: string, props: StateTableProps = {}) {
    super(scope, id);
    const recoveryPeriodInDays = props.recoveryPeriodInDays ?? 35;
    if (!Number.isInteger(recoveryPeriodInDays) || recoveryPeriodInDays < 1 || recoveryPeriodInDays > 35) {
      throw new Error(
        `StateTable: recoveryPeriodInDays must be a whole number from 1 to 35, got ${recoveryPeriodInDays}`,
      );
    }

    this.table = new Table(this, 'Table', {
      partitionKey: { name: STATE_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE_KEYS.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: STATE_TABLE_KEYS.timeToLive,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}

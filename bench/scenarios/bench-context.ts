/** What every scenario shares: the DynamoDB Local of the bench run, the runs' clock and a progress log. */
export interface BenchContext {
  readonly dynamoDbEndpoint: string;
  /** Offset of the runs' clock from the system clock, handed to each child process. */
  readonly clockOffsetMs: number;
  /** A fresh, empty state table; its name. */
  createTable(): Promise<string>;
  /** One line of progress on stderr. */
  progress(message: string): void;
}

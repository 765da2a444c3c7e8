import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** mysql:// URL of a reachable MariaDB, or '' when it is unreachable (never '' with CI=true). */
    mysqlUrl: string;
    /** Directory where each fresh test database leaves a marker, for the end-of-run summary. */
    dialectMarkerDir: string;
    /** The run's migrated template databases fresh test databases are copied from (support/database-templates.ts). */
    databaseTemplates: import('./support/database-templates').DatabaseTemplates;
    /** host:port list of the run's Kafka 3.9 broker (PLAINTEXT), or '' (see enginesSkipReason). */
    kafkaBrokers: string;
    /** The same broker's SASL_PLAINTEXT listener (PLAIN, tools/engines KAFKA_SASL_USER), or ''. */
    kafkaSaslBrokers: string;
    /** http:// URL of the run's OpenSearch 2.19 node, or ''. */
    searchUrl: string;
    /** Why Kafka/OpenSearch are not available ('' when they are). Never set with CI=true. */
    enginesSkipReason: string;
    /** The run's own MariaDB primary + GTID replica (test/replication-setup.ts), or null. */
    replication: import('./support/mariadb-replication').ReplicationInfo | null;
    /** Why the replication pair is not available ('' when it is). Never set with CI=true. */
    replicationSkipReason: string;
  }
}

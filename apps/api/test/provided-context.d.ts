import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** mysql:// URL of a reachable MariaDB, or '' when it is unreachable (never '' with CI=true). */
    mysqlUrl: string;
    /** Directory where each fresh test database leaves a marker, for the end-of-run summary. */
    dialectMarkerDir: string;
  }
}

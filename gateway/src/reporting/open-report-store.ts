import { migrate } from './store-migrations';
import { openPgliteDriver } from './pglite-driver';
import { openPostgresDriver } from './postgres-driver';
import type { ReportStore } from './report-store';
import { openSqlReportStore } from './sql-report-store';

/** Where the store lives: a PostgreSQL URL, or else the embedded database's directory. */
export interface ReportStoreLocation {
  /** `postgresql://…` (ADRECON_REPORTING_DATABASE_URL); when set, the embedded directory is not used. */
  readonly databaseUrl?: string | undefined;
  /** The embedded database's directory (default `state/reporting` in the organization's run folder). */
  readonly directory: string;
}

/**
 * Opens the organization's reporting store and brings its schema up to date.
 * @throws {Error} when the database cannot be opened or a migration fails.
 */
export async function openReportStore(location: Readonly<ReportStoreLocation>): Promise<ReportStore> {
  const driver =
    location.databaseUrl === undefined
      ? await openPgliteDriver(location.directory)
      : await openPostgresDriver(location.databaseUrl);
  try {
    await migrate(driver);
    return await openSqlReportStore(driver);
  } catch (err) {
    await driver.close();
    throw err;
  }
}

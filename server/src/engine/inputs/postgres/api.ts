// What rules may read of the postgres input: its model (servers and server-side settings).
export type { PostgresModel } from './index.js';
export type { DatabaseServer, DatabaseSetting, DatabaseSettingLevel } from '../../database-settings.js';

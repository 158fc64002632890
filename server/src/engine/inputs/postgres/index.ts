// The postgres input: server-side settings of the workspace's Postgres (postgresql.conf, `ALTER ROLE … SET` in SQL migrations, `-c` flags of a compose service or a Kubernetes Postgres container, a bundled chart's values), for the database hop.
import { parsePostgresConf, parseSqlSettings, type DatabaseServer, type DatabaseSetting } from '../../database-settings.js';
import { isComposeFileName } from '../../yaml/compose.js';
import { looksLikeK8s } from '../../yaml/file.js';
import { defineInput } from '../input.js';
import { isMigrationSqlName, isPostgresConfName } from './files.js';
import { composeServers, helmServers, k8sServers, placed } from './servers.js';

export interface PostgresModel {
  servers: DatabaseServer[];
  settings: DatabaseSetting[];
}

declare module '../../workspace-model.js' {
  interface InputModels {
    /** Postgres servers the workspace runs and the server-side timeout settings written for them. */
    postgres: PostgresModel;
  }
}

/** SQL files past this size are dumps or seeds, not migrations that set a role's timeouts: listed, not read. */
export const MAX_SQL_BYTES = 1024 * 1024;

const VALUES_NAME = /(?:^|\/)values[\w.-]*\.ya?ml$/;
const YAML_NAME = /\.ya?ml$/;
/** A manifest that may run a pod (k8sServers reads the workloads). */
const POD_KIND = /^[ \t]*(?:-[ \t]+)?kind[ \t]*:[ \t]*['"]?(?:StatefulSet|Deployment|DaemonSet|ReplicaSet|Pod|Job|CronJob)\b/m;

export const postgresInput = defineInput({
  id: 'postgres',
  language: 'postgres',
  claim: (file) => (isPostgresConfName(file) || isMigrationSqlName(file) ? 'name' : undefined),
  reader(context) {
    const settings: DatabaseSetting[] = [];
    return {
      take(file, text) {
        if (!context.wanted) return;
        const size = context.stat(file)?.size;
        if (!text && size !== undefined && size > MAX_SQL_BYTES) {
          context.notAnalysed(file, `${Math.round(size / 1024)} KiB is over the ${MAX_SQL_BYTES / 1024} KiB read for server settings (a dump or seed, not a migration)`);
          return;
        }
        const decoded = text ?? context.readText(file);
        if (!decoded) return;
        const conf = isPostgresConfName(file);
        const read = (): DatabaseSetting[] => (conf ? parsePostgresConf(decoded.text) : parseSqlSettings(decoded.text)).map((p) => placed(file, p));
        const found = context.cache ? context.cache.byText(file, decoded.text, read) : read();
        if (found.length === 0) return;
        settings.push(...found);
        context.addSource(file, decoded);
      },
      build() {
        const model: PostgresModel = { servers: [], settings };
        if (!context.wanted) return model;
        const files = new Set(context.candidates);
        for (const file of context.candidates) {
          const compose = isComposeFileName(file);
          const values = !compose && VALUES_NAME.test(file);
          const manifest = !compose && !values && YAML_NAME.test(file);
          if (!compose && !values && !manifest) continue;
          const chart = values ? `${file.slice(0, file.lastIndexOf('/') + 1)}Chart.yaml` : undefined;
          if (values && !files.has(chart!)) continue;
          // Only files that name Postgres are parsed here (the run's YAML parse is shared with the inputs that own them).
          const decoded = context.readText(file);
          if (!decoded || !namesPostgres(decoded)) continue;
          if (manifest && !(looksLikeK8s(decoded.text) && POD_KIND.test(decoded.text))) continue;
          const yaml = context.yaml(file);
          if (!yaml) continue;
          const chartName = chart ? chartNameOf(context.readText(chart)?.text) : undefined;
          const read = compose ? composeServers(yaml) : manifest ? k8sServers(yaml) : helmServers(yaml, chartName);
          model.servers.push(...read.servers);
          model.settings.push(...read.settings);
          if (read.settings.length > 0 && !context.hasSource(file)) context.addSource(file, decoded);
        }
        return model;
      },
    };
  },
  empty: () => ({ servers: [], settings: [] }),
  present: (model) => model.settings.length > 0 || model.servers.length > 0,
  databaseSettings: (model) => model,
});

function chartNameOf(text: string | undefined): string | undefined {
  return text ? /^name:\s*['"]?([\w.-]+)/m.exec(text)?.[1] : undefined;
}

/** Whether a text names Postgres, kept per decoded text: the language server hands the same one to every re-lint until the file changes. */
const namesPostgresByText = new WeakMap<object, boolean>();
function namesPostgres(decoded: { text: string }): boolean {
  let answer = namesPostgresByText.get(decoded);
  if (answer === undefined) {
    answer = /postgres|postgis|timescale|pgvector/i.test(decoded.text);
    namesPostgresByText.set(decoded, answer);
  }
  return answer;
}

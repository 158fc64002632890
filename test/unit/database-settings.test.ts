// Server-side Postgres settings: postgresql.conf lines, ALTER ROLE/DATABASE/SYSTEM statements and -c flags read with exact spans and Postgres units.
import { describe, expect, it } from 'vitest';
import { parseCommandLineSettings, parsePostgresConf, parseSqlSettings, postgresDurationMs } from '../../server/src/engine/database-settings.js';

describe('postgresDurationMs', () => {
  it.each([['30000', 30_000], ['30s', 30_000], ['30 s', 30_000], ['5min', 300_000], ['1h', 3_600_000], ['1d', 86_400_000], ['250ms', 250], ['1500us', 1.5], ['0', 0]])('reads %s', (text, ms) => expect(postgresDurationMs(text)).toBe(ms));
  it.each(['soon', '5m', '30S', '1 hour', ''])('leaves %s unknown (Postgres rejects it)', (text) => expect(postgresDurationMs(text)).toBeUndefined());
});

describe('parsePostgresConf', () => {
  const text = [
    "listen_addresses = '*'",
    '# statement_timeout = 0   (commented out)',
    "statement_timeout = '30s'  # cancel long statements",
    'lock_timeout 5000',
    '  idle_in_transaction_session_timeout=2min',
    "work_mem = '64MB'",
  ].join('\n');
  const settings = parsePostgresConf(text);

  it('reads only the timeout settings, with units, skipping comments', () => {
    expect(settings.map((s) => [s.name, s.text, s.ms, s.level])).toEqual([
      ['statement_timeout', '30s', 30_000, 'conf'],
      ['lock_timeout', '5000', 5000, 'conf'],
      ['idle_in_transaction_session_timeout', '2min', 120_000, 'conf'],
    ]);
  });

  it('places each value exactly (inside its quotes)', () => {
    for (const s of settings) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it('keeps a value it cannot read unknown, never a default', () => {
    const [setting] = parsePostgresConf('statement_timeout = soon');
    expect(setting).toMatchObject({ name: 'statement_timeout', text: 'soon' });
    expect(setting!.ms).toBeUndefined();
  });
});

describe('parseSqlSettings', () => {
  it('reads ALTER ROLE, ALTER USER, ALTER DATABASE, IN DATABASE and ALTER SYSTEM with their levels', () => {
    const sql = [
      "ALTER ROLE app SET statement_timeout = '30s';",
      'alter user "Reporting" set statement_timeout to 600000;',
      "ALTER DATABASE orders SET statement_timeout TO '1min';",
      "ALTER ROLE app IN DATABASE orders SET lock_timeout = '2s';",
      "ALTER ROLE ALL SET idle_in_transaction_session_timeout = '10min';",
      "ALTER SYSTEM SET statement_timeout = '2h';",
      "ALTER ROLE app SET search_path = public;",
      'ALTER ROLE app SET statement_timeout TO DEFAULT;',
    ].join('\n');
    const settings = parseSqlSettings(sql);
    expect(settings.map((s) => [s.level, s.role, s.database, s.name, s.ms])).toEqual([
      ['role', 'app', undefined, 'statement_timeout', 30_000],
      ['role', 'Reporting', undefined, 'statement_timeout', 600_000],
      ['database', undefined, 'orders', 'statement_timeout', 60_000],
      ['role-database', 'app', 'orders', 'lock_timeout', 2000],
      ['all-roles', undefined, undefined, 'idle_in_transaction_session_timeout', 600_000],
      ['system', undefined, undefined, 'statement_timeout', 7_200_000],
    ]);
    for (const s of settings) expect(sql.slice(s.start, s.end)).toBe(s.text);
    expect(settings[0]!.origin).toBe('ALTER ROLE app SET statement_timeout');
  });

  it('skips statements in comments, and offsets by the base given', () => {
    const sql = "-- ALTER ROLE app SET statement_timeout = '1s';\n/* ALTER ROLE app SET statement_timeout = '2s'; */\nALTER ROLE app SET statement_timeout = '3s';";
    const settings = parseSqlSettings(sql, 100);
    expect(settings.map((s) => s.text)).toEqual(['3s']);
    expect(settings[0]!.start - 100).toBe(sql.lastIndexOf('3s'));
  });

  it('reads nothing from SQL without ALTER … SET (the cheap test keeps dumps fast)', () => {
    expect(parseSqlSettings('CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);')).toEqual([]);
  });
});

describe('parseCommandLineSettings', () => {
  it('reads -c name=value pairs, -cname=value and --name=value, with offsets', () => {
    const words = ['postgres', '-c', 'statement_timeout=45s', '-clock_timeout=3s', '--idle-in-transaction-session-timeout=1min', '-c', 'max_connections=200'];
    let at = 0;
    const placed = words.map((text) => ({ text, start: (at += text.length + 1) - text.length - 1 }));
    const line = words.join(' ');
    const settings = parseCommandLineSettings(placed, 'compose service db command');
    expect(settings.map((s) => [s.name, s.ms, s.level])).toEqual([
      ['statement_timeout', 45_000, 'command-line'],
      ['lock_timeout', 3000, 'command-line'],
      ['idle_in_transaction_session_timeout', 60_000, 'command-line'],
    ]);
    for (const s of settings) expect(line.slice(s.start, s.end)).toBe(s.text);
  });
});

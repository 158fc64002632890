-- The application role, with a server-side bound on its statements.
CREATE ROLE app LOGIN;
GRANT CONNECT ON DATABASE orders TO app;
ALTER ROLE app SET statement_timeout = '5min';
ALTER ROLE app SET idle_in_transaction_session_timeout = '1min';

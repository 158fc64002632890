-- Bound what API sessions may run: reports are cut off before the gateway gives up.
alter role reports set statement_timeout = '15s';
alter role reports set idle_in_transaction_session_timeout = '60s';

-- The admin role runs long maintenance jobs outside the request path.
alter role admin set statement_timeout = '30min';

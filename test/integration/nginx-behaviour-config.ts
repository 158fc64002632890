// The nginx configuration the behaviour suite runs, with port placeholders: one block per scenario.
// @P@ / @Q@ are the two listen ports, @U1@…@U3@ the slow upstream's ports, @B@ a port that answers no SYN. Every upstream{} group
// belongs to one probe, because a failed try marks its servers unavailable for the others.

export const MAIN_CONF = `events {}
http {
    log_format probes '$arg_p $request_time $status $body_bytes_sent';
    access_log logs/probes.log probes;
    @TEMPS@
    proxy_read_timeout 2s;
    include conf.d/*.conf;

    upstream nu_two { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; }
    upstream nu_tries { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; server 127.0.0.1:@U3@; }
    upstream nu_all { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; server 127.0.0.1:@U3@; }
    upstream nu_gate { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; server 127.0.0.1:@U3@; }
    upstream nu_gate2 { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; server 127.0.0.1:@U3@; }
    upstream nu_gate3 { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; server 127.0.0.1:@U3@; }
    upstream nu_gate_big { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; server 127.0.0.1:@U3@; }
    upstream nu_error { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; }
    upstream nu_off { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; }
    upstream nu_post { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; }
    upstream nu_post_ni { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; }
    upstream nu_down { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@ down; }
    upstream nu_backup { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@ backup; }
    upstream nu_down_backup { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@ down; server 127.0.0.1:@U3@ backup; }
    upstream mf_default { server 127.0.0.1:@U1@; server 127.0.0.1:@U2@; }
    upstream mf_zero { server 127.0.0.1:@U1@ max_fails=0; server 127.0.0.1:@U2@ max_fails=0; }
    upstream mf_single { server 127.0.0.1:@U1@; }
    upstream cn_two { server 127.0.0.1:@B@; server 127.0.0.1:@B@ max_fails=0; }
    upstream ka_pool { server 127.0.0.1:@U1@; keepalive 4; keepalive_timeout 1s; }

    server {
        listen 127.0.0.1:@P@ default_server;
        server_name main.test;
        client_header_timeout 2s;

        location / { proxy_read_timeout 1200ms; proxy_pass http://127.0.0.1:@U1@; }
        location /inh-http/ { proxy_pass http://127.0.0.1:@U1@; }
        location /inh-loc/ { proxy_read_timeout 1s; proxy_pass http://127.0.0.1:@U1@; }
        location /nest/ {
            proxy_read_timeout 1s;
            location /nest/in/ { proxy_pass http://127.0.0.1:@U1@; }
            location /nest/over/ { proxy_read_timeout 2500ms; proxy_pass http://127.0.0.1:@U1@; }
        }
        location /inc/ { include snips/read.conf; proxy_pass http://127.0.0.1:@U1@; }
        location /unit-ms/ { proxy_read_timeout 1500ms; proxy_pass http://127.0.0.1:@U1@; }
        location /unit-lenient/ { proxy_read_timeout 0m1; proxy_pass http://127.0.0.1:@U1@; }
        location /unit-quoted/ { proxy_read_timeout "1s 300ms"; proxy_pass http://127.0.0.1:@U1@; }

        location = /sel/exact { proxy_read_timeout 1s; proxy_pass http://127.0.0.1:@U1@; }
        location /sel/ { proxy_read_timeout 2500ms; proxy_pass http://127.0.0.1:@U1@; }
        location ~ \\.slow$ { proxy_read_timeout 1s; proxy_pass http://127.0.0.1:@U1@; }
        location ^~ /sel/caret/ { proxy_read_timeout 1500ms; proxy_pass http://127.0.0.1:@U1@; }

        location /ep/named/ { proxy_read_timeout 1s; error_page 504 = @fb2; proxy_pass http://127.0.0.1:@U1@; }
        location @fb2 { proxy_read_timeout 2s; proxy_pass http://127.0.0.1:@U2@; }
        location /ep/uri/ { proxy_read_timeout 1s; error_page 504 /ep/target/?a=hang&p=ep-uri; proxy_pass http://127.0.0.1:@U1@; }
        location /ep/target/ { proxy_read_timeout 1500ms; proxy_pass http://127.0.0.1:@U2@; }
        location /ep/502/ { proxy_read_timeout 1s; error_page 502 = @fb2; proxy_pass http://127.0.0.1:@U1@; }
        location /ep/chain/ { proxy_read_timeout 1s; error_page 504 = @fbA; proxy_pass http://127.0.0.1:@U1@; }
        location @fbA { proxy_read_timeout 1s; error_page 504 = @fbB; proxy_pass http://127.0.0.1:@U2@; }
        location @fbB { proxy_read_timeout 1s; proxy_pass http://127.0.0.1:@U3@; }

        location /ep/rec-fb-only/ { proxy_read_timeout 1s; error_page 504 = @rfA; proxy_pass http://127.0.0.1:@U1@; }
        location @rfA { proxy_read_timeout 1s; recursive_error_pages on; error_page 504 = @fbB; proxy_pass http://127.0.0.1:@U2@; }
        location /ep/rec/ { proxy_read_timeout 1s; recursive_error_pages on; error_page 504 = @rfB; proxy_pass http://127.0.0.1:@U1@; }
        location @rfB { proxy_read_timeout 1s; error_page 504 = @fbB; proxy_pass http://127.0.0.1:@U2@; }

        location /tf/ { root empty; try_files $uri @tfb; }
        location @tfb { proxy_read_timeout 1s; proxy_pass http://127.0.0.1:@U1@; }

        location /if/ { proxy_read_timeout 1s; if ($request_method = GET) { proxy_pass http://127.0.0.1:@U1@; } }
        location /le/ { proxy_read_timeout 1s; limit_except POST { proxy_pass http://127.0.0.1:@U1@; } }

        location /nu/two/ { proxy_read_timeout 1s; proxy_pass http://nu_two; }
        location /nu/tries/ { proxy_read_timeout 1s; proxy_next_upstream_tries 2; proxy_pass http://nu_tries; }
        location /nu/all/ { proxy_read_timeout 1s; proxy_pass http://nu_all; }
        location /nu/gate/ { proxy_read_timeout 1s; proxy_next_upstream_timeout 1500ms; proxy_pass http://nu_gate; }
        location /nu/gate2/ { proxy_read_timeout 2s; proxy_next_upstream_timeout 3s; proxy_pass http://nu_gate2; }
        location /nu/gate3/ { proxy_read_timeout 1s; proxy_next_upstream_timeout 2500ms; proxy_pass http://nu_gate3; }
        location /nu/gate-big/ { proxy_read_timeout 1s; proxy_next_upstream_timeout 10s; proxy_pass http://nu_gate_big; }
        location /nu/error/ { proxy_read_timeout 1s; proxy_next_upstream error; proxy_pass http://nu_error; }
        location /nu/off/ { proxy_read_timeout 1s; proxy_next_upstream off; proxy_pass http://nu_off; }
        location /nu/post/ { proxy_read_timeout 1s; proxy_pass http://nu_post; }
        location /nu/post-ni/ { proxy_read_timeout 1s; proxy_next_upstream error timeout non_idempotent; proxy_pass http://nu_post_ni; }
        location /nu/down/ { proxy_read_timeout 1s; proxy_pass http://nu_down; }
        location /nu/backup/ { proxy_read_timeout 1s; proxy_pass http://nu_backup; }
        location /nu/down-backup/ { proxy_read_timeout 1s; proxy_pass http://nu_down_backup; }
        location /mf/default/ { proxy_read_timeout 1s; proxy_pass http://mf_default; }
        location /mf/zero/ { proxy_read_timeout 1s; proxy_pass http://mf_zero; }
        location /mf/single/ { proxy_read_timeout 1s; proxy_pass http://mf_single; }

        location /t/ { proxy_read_timeout 1s; proxy_pass http://127.0.0.1:@U1@; }
        location /t/zero/ { proxy_read_timeout 0; proxy_pass http://127.0.0.1:@U1@; }
        location /st/off/ { proxy_read_timeout 1s; proxy_buffering off; proxy_pass http://127.0.0.1:@U1@; }
        location /st/on/ { proxy_read_timeout 1s; proxy_buffering on; proxy_pass http://127.0.0.1:@U1@; }

        location /ps/ { proxy_send_timeout 1s; proxy_read_timeout 3s; client_max_body_size 100m; proxy_pass http://127.0.0.1:@U1@; }
        location /cn/ { proxy_connect_timeout 1s; proxy_read_timeout 3s; proxy_pass http://127.0.0.1:@B@; }
        location /cn/two/ { proxy_connect_timeout 1s; proxy_pass http://cn_two; }
        location /big/ { send_timeout 1s; root big; }
        location /upka/ { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://ka_pool; }
        location /cb/ { client_body_timeout 1s; proxy_pass http://127.0.0.1:@U1@; }
        location /ka/ { keepalive_timeout 1s; return 200 ok; }
        location /ka/zero/ { keepalive_timeout 0; return 200 ok; }
    }

    server {
        listen 127.0.0.1:@P@;
        server_name srv.test;
        proxy_read_timeout 1s;
        location / { proxy_pass http://127.0.0.1:@U1@; }
    }
    server {
        listen 127.0.0.1:@P@;
        server_name *.wild.test;
        location / { proxy_read_timeout 1500ms; proxy_pass http://127.0.0.1:@U1@; }
    }
    server {
        listen 127.0.0.1:@P@;
        server_name ep.test;
        proxy_read_timeout 1s;
        error_page 504 = @f;
        location / { proxy_pass http://127.0.0.1:@U1@; }
        location @f { proxy_pass http://127.0.0.1:@U2@; }
    }
    server {
        listen 127.0.0.1:@P@;
        server_name ifs.test;
        proxy_read_timeout 1500ms;
        location / { if ($arg_a) { proxy_pass http://127.0.0.1:@U1@; } }
    }
    server {
        listen 127.0.0.1:@P@;
        server_name ka.test;
        keepalive_timeout 1500ms;
        location / { return 200 ok; }
    }

    server {
        listen 127.0.0.1:@Q@;
        server_name first.test;
        proxy_read_timeout 2500ms;
        client_header_timeout 3s;
        client_body_timeout 2s;
        location / { proxy_pass http://127.0.0.1:@U1@; }
    }
    server {
        listen 127.0.0.1:@Q@ default_server;
        server_name dflt.test;
        proxy_read_timeout 1s;
        client_header_timeout 1s;
        client_body_timeout 1s;
        location / { proxy_pass http://127.0.0.1:@U1@; }
    }
}
`;

export const INCLUDED: Record<string, string> = {
  'snips/read.conf': 'proxy_read_timeout 1200ms;\n',
  'conf.d/glob.conf': `server {
    listen 127.0.0.1:@P@;
    server_name glob.test;
    proxy_read_timeout 1s;
    location / { proxy_pass http://127.0.0.1:@U1@; }
}
`,
};

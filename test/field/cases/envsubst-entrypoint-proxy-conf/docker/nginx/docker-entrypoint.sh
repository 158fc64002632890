#!/bin/bash
# Renders the nginx templates from the container environment, then starts nginx.

HTTPS_CONFIG=''
if [ "${NGINX_HTTPS_ENABLED}" = "true" ]; then
    # the whole https server block comes from its own template
    HTTPS_CONFIG=$(envsubst < /etc/nginx/https.conf.template)
fi
export HTTPS_CONFIG

vars=$(printenv | cut -d= -f1 | sed 's/^/$/g' | paste -sd, -)

envsubst "$vars" < /etc/nginx/nginx.conf.template > /etc/nginx/nginx.conf
envsubst "$vars" < /etc/nginx/proxy.conf.template > /etc/nginx/proxy.conf
envsubst "$vars" < /etc/nginx/conf.d/default.conf.template > /etc/nginx/conf.d/default.conf

exec nginx -g 'daemon off;'

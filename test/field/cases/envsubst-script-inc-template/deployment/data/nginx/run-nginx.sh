#!/bin/sh
# Fill in the templates, then run nginx in the foreground.
export API_SERVER_HOST="${API_SERVER_HOST:-api_server}"
export WEB_SERVER_HOST="${WEB_SERVER_HOST:-web_server}"
export MCP_SERVER_HOST="${MCP_SERVER_HOST:-mcp_server}"

# proxy timeouts, in seconds
export NGINX_PROXY_CONNECT_TIMEOUT="${NGINX_PROXY_CONNECT_TIMEOUT:-300}"
export NGINX_PROXY_SEND_TIMEOUT="${NGINX_PROXY_SEND_TIMEOUT:-300}"
export NGINX_PROXY_READ_TIMEOUT="${NGINX_PROXY_READ_TIMEOUT:-300}"

echo "read timeout: ${NGINX_PROXY_READ_TIMEOUT}s"

envsubst '$DOMAIN $API_SERVER_HOST $WEB_SERVER_HOST $MCP_SERVER_HOST $NGINX_PROXY_CONNECT_TIMEOUT $NGINX_PROXY_SEND_TIMEOUT $NGINX_PROXY_READ_TIMEOUT' < "/etc/nginx/conf.d/$1" > /etc/nginx/conf.d/app.conf

envsubst '$MCP_SERVER_HOST' < /etc/nginx/conf.d/mcp.conf.inc.template > /etc/nginx/conf.d/mcp.conf.inc

nginx -g "daemon off;"

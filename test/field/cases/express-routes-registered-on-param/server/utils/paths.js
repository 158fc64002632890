// Routes may live under a sub-path when the proxy does not strip it.
export function withBase(path) {
  const base = process.env.APP_BASE_PATH || '';
  return base ? `${base}${path}` : path;
}

import type { NextConfig } from 'next';

const config: NextConfig = {
  async headers() {
    // nginx in front must pass the event stream through as it is written.
    return [{ source: '/:path*', headers: [{ key: 'X-Accel-Buffering', value: 'no' }] }];
  },
};

export default config;

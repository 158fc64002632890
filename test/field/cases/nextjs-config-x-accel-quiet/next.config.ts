import type { NextConfig } from 'next';

const config: NextConfig = {
  output: 'standalone',
  async headers() {
    return [
      {
        // Streams (SSE) must not wait in a proxy buffer.
        source: '/:path*',
        headers: [{ key: 'X-Accel-Buffering', value: 'no' }],
      },
    ];
  },
};

export default config;

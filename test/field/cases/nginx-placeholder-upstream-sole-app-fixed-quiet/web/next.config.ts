import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  // The board change stream (SSE) must reach the browser as it is written, not from a proxy buffer.
  async headers() {
    return [
      {
        source: '/:path*{/}?',
        headers: [{ key: 'X-Accel-Buffering', value: 'no' }],
      },
    ];
  },
};

export default nextConfig;

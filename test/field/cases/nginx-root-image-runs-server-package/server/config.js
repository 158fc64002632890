import { cleanEnv, num, str } from 'envalid';

const env = cleanEnv(process.env, {
  PORT: num({ default: 3000 }),
  HOST: str({ default: '0.0.0.0' }),
  // Long enough for a slow model to finish a non-streamed answer.
  REQUEST_TIMEOUT: num({ default: 300000 }),
});

const config = Object.freeze({
  PORT: env.PORT,
  HOST: env.HOST,
  REQUEST_TIMEOUT: env.REQUEST_TIMEOUT,
});

export default config;

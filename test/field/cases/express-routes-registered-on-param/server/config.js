import { cleanEnv, num, str } from 'envalid';

const env = cleanEnv(process.env, {
  PORT: num({ default: 3000 }),
  HOST: str({ default: '0.0.0.0' }),
  TLS_CERT: str({ default: '' }),
});

export default Object.freeze({ ...process.env, PORT: env.PORT, HOST: env.HOST, TLS_CERT: env.TLS_CERT });

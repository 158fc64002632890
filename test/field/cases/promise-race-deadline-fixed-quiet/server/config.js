import { cleanEnv, num, str } from 'envalid';

const env = cleanEnv(process.env, {
  PORT: num({ default: 3000 }),
  MODEL_PROVIDER_URL: str({ default: 'https://api.openai.com/v1' }),
  // Answers from the model can take minutes for long prompts.
  COMPLETION_TIMEOUT_MS: num({ default: 240000 }),
});

export default {
  port: env.PORT,
  providerUrl: env.MODEL_PROVIDER_URL,
  COMPLETION_TIMEOUT_MS: env.COMPLETION_TIMEOUT_MS,
};

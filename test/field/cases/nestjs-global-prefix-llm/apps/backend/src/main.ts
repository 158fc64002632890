import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.setGlobalPrefix('api/v2', { exclude: ['health'] });
  app.enableCors();
  await app.listen(3000);
}
void bootstrap();

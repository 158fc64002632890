import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { WeatherController } from './weather/weather.controller';
import { WeatherService } from './weather/weather.service';

@Module({
  // The upstream model runs can take a while: the shared client waits up to 90 s.
  imports: [HttpModule.register({ timeout: 90_000, maxRedirects: 3 })],
  controllers: [WeatherController],
  providers: [WeatherService],
})
export class AppModule {}

import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

@Injectable()
export class WeatherService {
  constructor(private readonly httpService: HttpService) {}

  async forecast(city: string) {
    const { data } = await firstValueFrom(this.httpService.get(`https://forecast.example.com/v2/${encodeURIComponent(city)}`));
    return data;
  }
}

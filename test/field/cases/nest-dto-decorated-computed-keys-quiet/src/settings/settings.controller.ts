import { Body, Controller, Inject, Put } from '@nestjs/common';
import { UpdateSettingsDto } from './update-settings.dto';
import { SettingsService } from './settings.service';

@Controller('settings')
export class SettingsController {
  constructor(@Inject(SettingsService) private readonly settings: SettingsService) {}

  @Put()
  update(@Body() body: UpdateSettingsDto) {
    return this.settings.save(body);
  }
}

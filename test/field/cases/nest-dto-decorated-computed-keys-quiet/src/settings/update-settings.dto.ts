import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { SettingKey } from './settings-keys';

// Each field is keyed by the enum, so the DTO and the settings table can never drift apart.
export class UpdateSettingsDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  [SettingKey.MAIL_HOST]: string;

  @ApiPropertyOptional()
  @IsOptional()
  [SettingKey.MAIL_PORT]?: string;

  @ApiPropertyOptional() @IsOptional() @IsString()
  [SettingKey.SSO_ISSUER]?: string;
}

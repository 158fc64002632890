import { Injectable } from '@nestjs/common';

@Injectable()
export class SettingsService {
  private readonly values = new Map<string, string>();

  save(body: Record<string, string | undefined>) {
    for (const [key, value] of Object.entries(body)) if (value !== undefined) this.values.set(key, value);
    return Object.fromEntries(this.values);
  }
}

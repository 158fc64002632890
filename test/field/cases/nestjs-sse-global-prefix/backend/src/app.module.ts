import { Module } from '@nestjs/common';
import { ImportsController } from './imports/imports.controller';

@Module({ controllers: [ImportsController] })
export class AppModule {}

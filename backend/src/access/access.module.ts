import { Global, Module } from '@nestjs/common';
import { AccessController } from './access.controller';
import { RevealService } from './reveal.service';

@Global()
@Module({ controllers: [AccessController], providers: [RevealService], exports: [RevealService] })
export class AccessModule {}

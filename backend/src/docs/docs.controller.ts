import { Controller, Get, Injectable } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { Authenticated } from '../auth/decorators';

/** Holds the OpenAPI document, which can only be built once the app exists. */
@Injectable()
export class OpenApiHolder {
  document?: OpenAPIObject;
}

/** The API document, for signed-in people and tokens only: deny by default covers it too. */
@ApiExcludeController()
@Controller()
export class DocsController {
  constructor(private readonly holder: OpenApiHolder) {}

  @Authenticated()
  @Get('openapi.json')
  openapi(): OpenAPIObject | Record<string, never> {
    return this.holder.document ?? {};
  }
}

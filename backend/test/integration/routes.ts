import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import {
  ACCESS_KEY,
  ENROLMENT_KEY,
  IDENTITY_CHECK_KEY,
  SESSION_ONLY_KEY,
  type AccessRule,
} from '../../src/auth/decorators';

export interface RouteInfo {
  method: string;
  path: string;
  rule: AccessRule | undefined;
  /** Usable while MFA is mandatory and not yet set up. */
  duringEnrolment: boolean;
  /** Answers "who is signed in?": no audit event when asked with no credential. */
  identityCheck: boolean;
  /** Refuses personal access tokens: it changes the person's own credentials or sessions. */
  sessionOnly: boolean;
  /** The query parameters the route accepts: every property its `@Query()` DTO validates. */
  query: string[];
}

/** Every route of every controller in the app, with its access declaration, read from Nest's metadata. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      const base = normalize(Reflect.getMetadata(PATH_METADATA, controller));
      const classRule: AccessRule | undefined = Reflect.getMetadata(ACCESS_KEY, controller);
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler);
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!;
        const path =
          '/api' +
          [base, normalize(sub)]
            .filter(Boolean)
            .map((p) => '/' + p)
            .join('');
        routes.push({
          method,
          path,
          rule: Reflect.getMetadata(ACCESS_KEY, handler) ?? classRule,
          duringEnrolment: Reflect.getMetadata(ENROLMENT_KEY, handler) === true,
          identityCheck: Reflect.getMetadata(IDENTITY_CHECK_KEY, handler) === true,
          sessionOnly: typeof Reflect.getMetadata(SESSION_ONLY_KEY, handler) === 'string',
          query: queryParameters(controller, name),
        });
      }
    }
  }
  return routes.sort((a, b) => (a.path + a.method).localeCompare(b.path + b.method));
}

function queryParameters(controller: object, handlerName: string): string[] {
  const args: Record<string, { index: number; data?: unknown }> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {};
  const types: unknown[] =
    Reflect.getMetadata('design:paramtypes', (controller as { prototype: object }).prototype, handlerName) ??
    [];
  const names = new Set<string>();
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof arg.data === 'string') {
      names.add(arg.data);
      continue;
    }
    const dto = types[arg.index];
    if (typeof dto !== 'function') continue;
    for (const m of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
      names.add(m.propertyName);
    }
  }
  return [...names].sort();
}

function normalize(path: unknown): string {
  const p = Array.isArray(path) ? String(path[0] ?? '') : String(path ?? '');
  return p.replace(/^\/+|\/+$/g, '');
}

export function describeRule(rule: AccessRule | undefined): string {
  if (!rule) return 'UNDECLARED';
  return rule.kind === 'permission' ? rule.permission : rule.kind;
}

/** The path with every `:param` replaced by a well-formed id that matches nothing. */
export function concretePath(path: string): string {
  return path.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
}

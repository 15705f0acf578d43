import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import * as client from 'openid-client';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';

export interface OidcIdentity {
  subject: string;
  email: string;
  name: string;
  /** Custodian roles from the provider's groups, as of this sign-in. */
  roles: string[];
}

/**
 * OpenID Connect single sign-on: authorization code flow with PKCE, state and nonce. Roles come
 * from the provider's groups at every sign-in, so removing someone from a group removes the role.
 */
@Injectable()
export class OidcService {
  private discovered?: Promise<client.Configuration>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.oidc !== undefined;
  }

  get redirectUri(): string {
    return `${this.config.publicUrl}/api/auth/oidc/callback`;
  }

  async start(): Promise<{ url: string; checks: { codeVerifier: string; state: string; nonce: string } }> {
    const configuration = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile groups',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, checks: { codeVerifier, state, nonce } };
  }

  async finish(
    callbackUrl: URL,
    checks: { codeVerifier: string; state: string; nonce: string },
  ): Promise<OidcIdentity> {
    const oidc = this.config.oidc!;
    const configuration = await this.configuration();
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch {
      throw new UnauthorizedException('single sign-on did not complete; try again');
    }
    const claims = tokens.claims();
    if (!claims) throw new UnauthorizedException('single sign-on returned no identity');
    const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    const email = typeof info.email === 'string' ? info.email.toLowerCase() : undefined;
    if (!email) throw new UnauthorizedException('the identity provider did not share an email address');
    const rawGroups = info[oidc.groupsClaim] ?? claims[oidc.groupsClaim];
    const groups = Array.isArray(rawGroups)
      ? rawGroups.filter((g): g is string => typeof g === 'string')
      : [];
    const roles = [...new Set(groups.flatMap((g) => oidc.groupRoles[g] ?? []))].sort();
    return { subject: claims.sub, email, name: typeof info.name === 'string' ? info.name : email, roles };
  }

  private configuration(): Promise<client.Configuration> {
    const oidc = this.config.oidc!;
    const issuer = new URL(oidc.issuer);
    // Plain HTTP only for a provider on this machine (tests, local evaluation).
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
    this.discovered ??= client
      .discovery(
        issuer,
        oidc.clientId,
        undefined,
        oidc.clientSecret ? client.ClientSecretBasic(oidc.clientSecret) : client.None(),
        local && issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.discovered = undefined;
        throw error;
      });
    return this.discovered;
  }
}

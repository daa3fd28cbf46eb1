import { createDirectoryClient, type AuthApi, type DirectoryClient } from '@directory/client';
import { unwrap } from '../api/api-error';

export type Me = AuthApi.components['schemas']['UserViewDto'];
type TokenPair = AuthApi.components['schemas']['TokenPairDto'];

export type SessionState = { kind: 'signed-out'; notice?: string } | { kind: 'signed-in'; user: Me; isAdmin: boolean };

/** Codes of a 401 that a new access token would not cure: the route wants a fresh factor. */
const NOT_CURED_BY_REFRESH = new Set(['step_up_required', 'reauthentication_required']);

/**
 * The signed-in admin's tokens, in this page's memory only (never storage: a reload signs out,
 * an XSS finds nothing at rest). Every request goes through `fetchWithRefresh`: an access token
 * that expired is refreshed once — one rotation shared by concurrent requests, since auth-api
 * treats a second use of a rotated refresh token outside its grace as theft — and the request
 * is sent again.
 */
export class SessionStore {
  private tokens: { access: string; refresh: string } | undefined;
  private refreshing: Promise<boolean> | undefined;
  private state: SessionState = { kind: 'signed-out' };
  private readonly listeners = new Set<() => void>();

  readonly api: DirectoryClient;

  constructor(private readonly origin: string) {
    this.api = createDirectoryClient({
      baseUrl: origin,
      accessToken: () => this.tokens?.access,
      fetch: (request) => this.fetchWithRefresh(request),
    });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  /** Tokens from a login (or a second factor): loads the caller to learn their roles. */
  async signIn(pair: Pick<TokenPair, 'accessToken' | 'refreshToken'>): Promise<void> {
    const tokens = { access: pair.accessToken, refresh: pair.refreshToken };
    this.tokens = tokens;
    try {
      const user = unwrap(await this.api.auth.GET('/auth/me'));
      this.set({ kind: 'signed-in', user, isAdmin: user.roles.includes('admin') });
    } catch (error) {
      // No half-signed-in state: a session the page cannot use is ended, not left alive at auth-api.
      if (this.tokens === tokens) {
        this.tokens = undefined;
        await this.logout(tokens.refresh);
      }
      throw error;
    }
  }

  /** Ends this session at auth-api too (best effort: the tokens are dropped either way). */
  async signOut(notice?: string): Promise<void> {
    const refresh = this.tokens?.refresh;
    this.tokens = undefined;
    this.set({ kind: 'signed-out', notice });
    if (refresh) await this.logout(refresh);
  }

  private async logout(refreshToken: string): Promise<void> {
    await this.api.auth.POST('/auth/logout', { body: { refreshToken } }).catch(() => undefined);
  }

  /** An access token with a fresh `auth_time` from a step-up replaces the current one. */
  replaceAccessToken(accessToken: string): void {
    if (this.tokens) this.tokens = { ...this.tokens, access: accessToken };
  }

  private set(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  private async fetchWithRefresh(request: Request): Promise<Response> {
    const sentWith = this.tokens?.access;
    const retry = sentWith ? request.clone() : undefined;
    const response = await fetch(request);
    if (response.status !== 401 || !retry || !sentWith) return response;
    const code = await response
      .clone()
      .json()
      .then((body: { code?: string }) => body?.code)
      .catch(() => undefined);
    if (code && NOT_CURED_BY_REFRESH.has(code)) return response;
    if (!(await this.refresh(sentWith))) return response;
    retry.headers.set('authorization', `Bearer ${this.tokens?.access}`);
    return fetch(retry);
  }

  /** One rotation at a time; a request that failed with an older token just uses the new one. */
  private refresh(failedToken: string): Promise<boolean> {
    if (this.tokens && this.tokens.access !== failedToken) return Promise.resolve(true);
    this.refreshing ??= this.rotate().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async rotate(): Promise<boolean> {
    const started = this.tokens;
    const refreshToken = started?.refresh;
    if (!refreshToken) return false;
    // Plain fetch: the refresh call must not go through fetchWithRefresh itself.
    const response = await fetch(`${this.origin}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => undefined);
    // Signed out, or signed in afresh, while this was in flight: its answer belongs to no session here.
    if (this.tokens !== started) return this.tokens !== undefined;
    if (!response?.ok) {
      // A network failure or a busy service keeps the session (the next request tries again);
      // a refused token (401; 400 for a malformed one) ends it.
      if (response && (response.status === 401 || response.status === 400)) {
        this.tokens = undefined;
        this.set({ kind: 'signed-out', notice: 'Your session ended. Sign in again.' });
      }
      return false;
    }
    const pair = (await response.json()) as TokenPair;
    if (this.tokens !== started) return this.tokens !== undefined;
    this.tokens = { access: pair.accessToken, refresh: pair.refreshToken };
    // A new token carries the roles of now: an admin whose role was taken away gets the member view.
    const isAdmin = rolesOf(pair.accessToken).includes('admin');
    if (this.state.kind === 'signed-in' && this.state.isAdmin !== isAdmin) this.set({ ...this.state, isAdmin });
    return true;
  }
}

/**
 * The `roles` claim of an access token, read without verifying it: only to choose what the page
 * shows (every service verifies the token itself). [] for anything unreadable.
 */
export function rolesOf(accessToken: string): string[] {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const roles = (JSON.parse(json) as { roles?: unknown }).roles;
    return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
  } catch {
    return [];
  }
}

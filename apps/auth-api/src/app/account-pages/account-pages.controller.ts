import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PlatformErrorCode } from '@directory/platform';
import type { Response } from 'express';
import { AccountPageFiles } from './account-page-files';

/**
 * Same origin only, no inline script or style, never framed, no form posting elsewhere: the
 * pages' script holds a one-time token from the link, so nothing but this origin may run, load
 * or receive anything here.
 */
export const ACCOUNT_PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** Headers of every page: the CSP above, no Referer leaves the page, never framed, never cached. */
export const ACCOUNT_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': ACCOUNT_PAGE_CSP,
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * The pages links in mail open (/account/verify-email#token=…, …): static HTML whose script
 * reads the token from the fragment and calls the /auth endpoints on this origin; and sign-in
 * and security (/account/sign-in, /account/security: second factors and passkeys, tokens in the
 * page's memory only). They are pages for people, not API: they stay out of the OpenAPI document (the endpoints they call are in it).
 */
@ApiExcludeController()
@Controller('account')
export class AccountPagesController {
  constructor(private readonly files: AccountPageFiles) {}

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = this.files.asset(name);
    if (!asset) throw new NotFoundException({ message: 'No such account page asset', code: PlatformErrorCode.NotFound });
    res
      .type(asset.type)
      .set({ 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' })
      .send(asset.body);
  }

  @Get(':page')
  page(@Param('page') name: string, @Res() res: Response): void {
    const html = this.files.page(name);
    if (html === undefined) throw new NotFoundException({ message: 'No such account page', code: PlatformErrorCode.NotFound });
    res.type('html').set(ACCOUNT_PAGE_HEADERS).send(html);
  }
}

/** The pages (served by auth-api under /account) that links in mail open. */
export const AccountPage = {
  VerifyEmail: 'verify-email',
  ResetPassword: 'reset-password',
  AcceptInvitation: 'accept-invitation',
  ConfirmEmailChange: 'confirm-email-change',
} as const;
export type AccountPage = (typeof AccountPage)[keyof typeof AccountPage];

/** A page without a token (the forgot-password form). */
export function accountPage(publicUrl: string, page: 'forgot-password'): string {
  return `${publicUrl}/account/${page}`;
}

/**
 * The token rides in the fragment: browsers never send it to a server, so it stays out of
 * access logs, proxies and Referer headers; the page reads it and posts it to the API.
 */
export function accountLink(publicUrl: string, page: AccountPage, token: string): string {
  return `${publicUrl}/account/${page}#token=${token}`;
}

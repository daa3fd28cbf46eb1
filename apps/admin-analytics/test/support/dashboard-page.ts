import type { Page } from 'playwright-core';

/** Opens the dashboard and submits its password form, as an admin would. */
export async function signInOnDashboard(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/dashboard`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#sign-in button[type=submit]');
}

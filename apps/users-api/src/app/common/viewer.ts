import { hasSecondFactor, type AuthModuleOptions } from '@directory/auth';
import { UserRole } from '@directory/schemas';

/** Who is asking: admins may see deleted users, admin-only fields and the dormant-account filters. */
export interface Viewer {
  id: string;
  admin: boolean;
}

/**
 * An admin gets the admin view only as the admin routes would let them in: with
 * AUTH_REQUIRE_MFA_FOR_ADMINS, a token without a second factor sees what a member sees.
 */
export function viewerOf(
  user: { id: string; roles: string[]; amr?: string[] },
  options: Pick<AuthModuleOptions, 'requireMfaForAdmins'>,
): Viewer {
  const admin = user.roles.includes(UserRole.Admin) && (!options.requireMfaForAdmins || hasSecondFactor(user));
  return { id: user.id, admin };
}

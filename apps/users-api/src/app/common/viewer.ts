import { UserRole } from '@directory/schemas';

/** Who is asking: admins may see deleted users and use the dormant-account filters. */
export interface Viewer {
  id: string;
  admin: boolean;
}

export function viewerOf(user: { id: string; roles: string[] }): Viewer {
  return { id: user.id, admin: user.roles.includes(UserRole.Admin) };
}

/** Roles and permissions: reference data seeded by the first migration, and the source the code checks against. */
export const ROLES = {
  admin: 'Administers users, ethical walls and every matter',
  attorney: 'Opens and runs matters, manages their members',
  paralegal: 'Works on the matters they are a member of',
  client: 'Reads the matters they are a member of',
  auditor: 'Reads the audit trail',
} as const;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as [Role, ...Role[]];

export const PERMISSIONS = {
  'case:read': 'Read a matter the user may see',
  'case:create': 'Open a new matter',
  'case:write': 'Change or close a matter the user may see',
  'member:manage': 'Add and remove members of a matter the user may see',
  'wall:manage': 'Create and remove ethical walls',
  'user:manage': 'List, create, change and deactivate users',
  'audit:read': 'Read the audit trail',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    'case:read',
    'case:create',
    'case:write',
    'member:manage',
    'wall:manage',
    'user:manage',
    'audit:read',
  ],
  attorney: ['case:read', 'case:create', 'case:write', 'member:manage'],
  paralegal: ['case:read', 'case:write'],
  client: ['case:read'],
  auditor: ['audit:read'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

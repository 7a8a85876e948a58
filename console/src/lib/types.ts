// Names for the platform API's shapes, from the types generated from its OpenAPI document (src/api/platform.d.ts,
// `npm run api-types` against a running Scanport).
import type { components } from '../api/platform';

type Schemas = components['schemas'];
export type Project = Schemas['ProjectResponse'];
export type ProjectRequest = Schemas['ProjectRequest'];
export type ProjectPage = Schemas['PageOfProjectResponse'];
export type Me = Schemas['MeResponse'];
export type Site = Schemas['SiteResponse'];
export type SiteRequest = Schemas['SiteRequest'];
export type SitePage = Schemas['PageOfSiteResponse'];
export type User = Schemas['UserResponse'];
export type UserRequest = Schemas['UserRequest'];
export type UserPage = Schemas['PageOfUserResponse'];
export type ApiKey = Schemas['ApiKeyResponse'];
export type ApiKeyRequest = Schemas['ApiKeyRequest'];
export type ApiKeyPage = Schemas['PageOfApiKeyResponse'];
export type EnrollmentCode = Schemas['EnrollmentCodeResponse'];
export type EnrollmentCodeRequest = Schemas['EnrollmentCodeRequest'];

/** The roles a user or an API key can be given (the platform's `Roles.Assignable`). */
export const roles = [
  { value: 'operator', label: 'Operator', does: 'captures and creates projects' },
  { value: 'reviewer', label: 'Reviewer', does: 'reviews and publishes captures' },
  { value: 'admin', label: 'Admin', does: 'manages users, sites, keys and everything else' },
] as const;
export type ProjectFile = Schemas['ProjectFileResponse'];
export type ProjectFilePage = Schemas['PageOfProjectFileResponse'];
export type ProjectFileUrl = Schemas['ProjectFileUrlResponse'];

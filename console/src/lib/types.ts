// Names for the platform API's shapes, from the types generated from its OpenAPI document (src/api/platform.d.ts,
// `npm run api-types` against a running Scanport).
import type { components } from '../api/platform';

type Schemas = components['schemas'];
export type Project = Schemas['ProjectResponse'];
export type ProjectRequest = Schemas['ProjectRequest'];
export type ProjectPage = Schemas['PageOfProjectResponse'];

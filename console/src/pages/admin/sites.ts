import { call } from '../../lib/api';
import type { Site, SitePage } from '../../lib/types';

/** Every site of the organization, by name (for choosing a user's sites or a code's site, and naming them in lists). */
export async function allSites(): Promise<Site[]> {
  const sites: Site[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await call<SitePage>('GET', `/platform/v1/sites?limit=100&offset=${offset}`);
    sites.push(...page.items);
    if (page.items.length === 0 || sites.length >= page.total) return sites;
  }
}

/**
 * Branding is configuration: each policy profile names its council, logo, protective marking, contact and
 * the records service's verify address, which the service may override from its own configuration.
 */
import { describe, expect, it } from 'vitest';
import {
  brandingOf,
  HERTFORDSHIRE,
  PROFILES,
  parseVerifyBaseUrl,
  verifyUrlOf,
} from '../../src/domain/profiles';

describe('branding', () => {
  it('every profile names its council, a protective marking, a contact line and a verify address', () => {
    for (const profile of Object.values(PROFILES)) {
      const b = profile.branding;
      expect(b.councilName, profile.id).toMatch(/Council/);
      expect(b.protectiveMarking, profile.id).toBe('OFFICIAL-SENSITIVE');
      expect(b.contact.length, profile.id).toBeGreaterThan(10);
      expect(parseVerifyBaseUrl(b.verifyBaseUrl), profile.id).toBe(b.verifyBaseUrl);
    }
  });

  it("the records service's configured address replaces the profile's, without a trailing slash", () => {
    const b = brandingOf(HERTFORDSHIRE, { verifyBaseUrl: 'https://records.herts.example/ ' });
    expect(b.verifyBaseUrl).toBe('https://records.herts.example');
    expect(b.councilName).toBe(HERTFORDSHIRE.branding.councilName);
    expect(brandingOf(HERTFORDSHIRE)).toBe(HERTFORDSHIRE.branding);
    expect(brandingOf(HERTFORDSHIRE, { verifyBaseUrl: 'https://x.example/records/' }).verifyBaseUrl).toBe(
      'https://x.example/records',
    );
  });

  it('a verification address that is not an absolute http(s) URL is refused with a clear error', () => {
    expect(() => parseVerifyBaseUrl('records.council.gov.uk')).toThrow(/not a URL/);
    expect(() => parseVerifyBaseUrl('ftp://records.council.gov.uk')).toThrow(/https:\/\//);
    expect(() => parseVerifyBaseUrl('https://records.council.gov.uk/?a=1')).toThrow(/query/);
  });

  it('the verify URL is the admin verify page for this meeting and head hash', () => {
    const hash = 'ab'.repeat(32);
    expect(verifyUrlOf('https://records.example.gov.uk', 'm-1', hash)).toBe(
      `https://records.example.gov.uk/admin/verify?meeting=m-1&hash=${hash}`,
    );
  });
});

/** What GeoIP/ASN enrichment says about one address. */
import type { AddressClass } from './address-class.js';

export interface GeoFields {
  /** ISO 3166-1 alpha-2 country code */
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  asn: number | null;
  as_org: string | null;
}

export interface GeoInfo extends GeoFields {
  address_class: AddressClass;
}

export interface GeoSourceInfo {
  /** e.g. "@ip-location-db/asn (RouteViews + DB-IP, CSV)" or the user's file name */
  name: string;
  /** package version, or file size/mtime for a user's file */
  version: string;
  /** build date of the data when the file says so (MMDB build epoch), ISO date */
  date: string | null;
  licence: string | null;
  /** which fields this source can fill */
  provides: (keyof GeoFields)[];
}

/** One database: answers a parsed public address with whatever fields it has. */
export interface GeoSource {
  info: GeoSourceInfo;
  get(ip: import('./ip.js').ParsedIp): Partial<GeoFields> | null;
}

export function emptyGeo(cls: AddressClass): GeoInfo {
  return { country: null, city: null, lat: null, lon: null, asn: null, as_org: null, address_class: cls };
}

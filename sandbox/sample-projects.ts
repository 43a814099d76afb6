/**
 * Deterministic, realistic M&A deal projects for the sandbox, and seeded random edits of them,
 * so tests, the local mode and the benchmark all work on data shaped like a real workspace.
 */
import { isJsonObject, type JsonObject } from '../shared/core/json.js';
import { intBetween, mulberry32, pick, type Random } from './seeded-random.js';

export type SampleProject = JsonObject & { id: string; createdAt: string; updatedAt: string };

export interface SampleProjectOptions {
  /** Adds a `description` of about this many bytes, to build pages near the API's 6 MB response cap. */
  readonly paddingBytes?: number;
}

interface Owner {
  readonly id: string;
  readonly name: string;
}

const STAGES = [
  'Sourcing',
  'Screening',
  'Initial Contact',
  'Due Diligence',
  'Negotiation',
  'Signing',
  'Closing',
  'Integration',
] as const;
const OWNERS: readonly [Owner, ...Owner[]] = [
  { id: 'usr-1001', name: 'Aino Virtanen' },
  { id: 'usr-1002', name: 'James Whitfield' },
  { id: 'usr-1003', name: 'Sofia Martins' },
  { id: 'usr-1004', name: 'Lukas Becker' },
  { id: 'usr-1005', name: 'Priya Raman' },
  { id: 'usr-1006', name: 'Emma Lindqvist' },
];
const CODENAMES = [
  'Falcon',
  'Aurora',
  'Granite',
  'Harbor',
  'Juniper',
  'Kestrel',
  'Meridian',
  'Northstar',
] as const;
const TARGETS = [
  'Nordhaven Logistics',
  'Brightwell Analytics',
  'Castell Foods',
  'Orion Medical Devices',
  'Vantage Payments',
  'Pinecrest Software',
  'Helio Renewables',
  'Ardent Security',
] as const;
const DEAL_TYPES = ['Acquisition', 'Carve-out', 'Merger', 'Minority Investment'] as const;
const CURRENCIES = ['EUR', 'USD', 'GBP'] as const;
const TAGS = [
  'strategic',
  'add-on',
  'cross-border',
  'platform',
  'distressed',
  'priority',
  'confidential',
] as const;
const INDUSTRIES = ['Logistics', 'Software', 'Healthcare', 'Food & Beverage', 'Energy', 'Fintech'] as const;
const REGIONS = ['Nordics', 'DACH', 'UK & Ireland', 'Iberia', 'North America', 'Benelux'] as const;

const EPOCH_MS = Date.parse('2024-01-01T00:00:00Z');
const DAY_MS = 86_400_000;

export function sampleProjectId(index: number): string {
  return `prj-${String(index).padStart(6, '0')}`;
}

/** The same project for the same index, whatever else was generated before. */
export function sampleProject(index: number, options: SampleProjectOptions = {}): SampleProject {
  const random = mulberry32(0x5eed_0000 + index);
  // Ten minutes apart: 100k projects, updated up to 90 days later, all lie in the past (before 2026-06).
  const createdMs = EPOCH_MS + index * 600_000 + intBetween(random, 0, 599_999);
  const updatedMs = createdMs + intBetween(random, 0, 90) * DAY_MS + intBetween(random, 0, DAY_MS - 1);
  const project: SampleProject = {
    id: sampleProjectId(index),
    name: dealName(random),
    stage: pick(random, STAGES),
    owner: { ...pick(random, OWNERS) },
    dealValue: { amount: intBetween(random, 20, 10_000) * 50_000, currency: pick(random, CURRENCIES) },
    tags: distinctTags(random, intBetween(random, 1, 3)),
    createdAt: new Date(createdMs).toISOString(),
    updatedAt: new Date(updatedMs).toISOString(),
    customFields: {
      industry: pick(random, INDUSTRIES),
      region: pick(random, REGIONS),
      probability: intBetween(random, 1, 19) * 5,
      expectedCloseDate: new Date(updatedMs + intBetween(random, 30, 400) * DAY_MS)
        .toISOString()
        .slice(0, 10),
      confidential: random() < 0.3,
    },
  };
  if (options.paddingBytes !== undefined && options.paddingBytes > 0) {
    project.description = 'Investment memo notes. '
      .repeat(Math.ceil(options.paddingBytes / 23))
      .slice(0, options.paddingBytes);
  }
  return project;
}

export function sampleProjects(count: number, options: SampleProjectOptions = {}): SampleProject[] {
  return Array.from({ length: count }, (_, i) => sampleProject(i + 1, options));
}

export type ProjectEditKind = 'stage' | 'owner' | 'dealValue' | 'tags' | 'customFields' | 'name';

export interface ProjectEdit {
  readonly kind: ProjectEditKind;
  /** Top-level fields to replace, as `updateProject` takes them; always differs from the project. */
  readonly patch: JsonObject;
}

const EDIT_KINDS = ['stage', 'owner', 'dealValue', 'tags', 'customFields', 'name'] as const;

/** An edit a deal team would make: move the stage, hand over, revalue, retag... chosen by `random`. */
export function randomProjectEdit(project: JsonObject, random: Random): ProjectEdit {
  const kind = pick(random, EDIT_KINDS);
  switch (kind) {
    case 'stage':
      return { kind, patch: { stage: pickOther(random, STAGES, project.stage) } };
    case 'owner': {
      const currentId = isJsonObject(project.owner) ? project.owner.id : undefined;
      const others = OWNERS.filter((owner) => owner.id !== currentId);
      return { kind, patch: { owner: { ...pick(random, nonEmpty(others, OWNERS)) } } };
    }
    case 'dealValue': {
      const value = isJsonObject(project.dealValue) ? project.dealValue : {};
      const amount = typeof value.amount === 'number' ? value.amount : 1_000_000;
      const factor = pick(random, [0.8, 0.9, 1.1, 1.25] as const);
      const revalued = Math.round((amount * factor) / 10_000) * 10_000;
      return {
        kind,
        patch: { dealValue: { ...value, amount: revalued === amount ? amount + 50_000 : revalued } },
      };
    }
    case 'tags': {
      const tags = Array.isArray(project.tags) ? project.tags.filter((t) => typeof t === 'string') : [];
      const missing = TAGS.filter((tag) => !tags.includes(tag));
      const removeOne = tags.length > 1 && (missing.length === 0 || random() < 0.4);
      const removed = Math.floor(random() * tags.length);
      const next = removeOne
        ? tags.filter((_, i) => i !== removed)
        : [...tags, pick(random, nonEmpty(missing, TAGS))];
      return { kind, patch: { tags: next } };
    }
    case 'customFields': {
      const fields = isJsonObject(project.customFields) ? project.customFields : {};
      const probability = typeof fields.probability === 'number' ? fields.probability : 50;
      const next = probability >= 95 ? probability - 10 : probability + 5;
      return {
        kind,
        patch: { customFields: { ...fields, probability: next, region: pick(random, REGIONS) } },
      };
    }
    case 'name': {
      const name = dealName(random);
      return { kind, patch: { name: name === project.name ? `${name} II` : name } };
    }
  }
}

function dealName(random: Random): string {
  return `${pick(random, CODENAMES)}: ${pick(random, DEAL_TYPES)} of ${pick(random, TARGETS)}`;
}

function distinctTags(random: Random, count: number): string[] {
  const tags = new Set<string>();
  while (tags.size < count) tags.add(pick(random, TAGS));
  return [...tags];
}

function pickOther<T>(random: Random, items: readonly [T, ...T[]], current: unknown): T {
  return pick(
    random,
    nonEmpty(
      items.filter((item) => item !== current),
      items,
    ),
  );
}

function nonEmpty<T>(items: readonly T[], fallback: readonly [T, ...T[]]): readonly [T, ...T[]] {
  const [first, ...rest] = items;
  return first === undefined ? fallback : [first, ...rest];
}

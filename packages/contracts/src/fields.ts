import { z } from 'zod';
import { FIELD_LABELS, type FieldLabel, SCHEMALESS_LABELS } from './field-labels.js';
import { type AnySchema, defOf, type PathPart, unwrap, unwrapChain } from './schema-walk.js';

export type { FieldLabel };

/**
 * Field labels: how a validation message names a field ("请填写商品编码" / "Enter the product code").
 *
 * Why keyed by field name, scoped by entity: most field names mean one thing everywhere (`qty`, `warehouseId`,
 * `remarks`), so one catalog entry per name labels them on every schema at once, and a new schema that reuses
 * a name is labelled the day it is written. The few names that mean different things per entity (`code`,
 * `name`, `kind`…) have no plain entry; the object schema that holds them says which entity it describes
 * (`entity('product', z.object({...}))`) and the catalog has `product.code`. A walk over every route's
 * schemas (apps/server/src/http/input.test.ts) fails on any field that resolves to no label, so an
 * ambiguous name can never silently fall back to a vague one. Labels attached to each field schema
 * (`.meta()`) were the alternative: they would need a label on every one of ~1,000 field uses, and a
 * shared schema (`id`, `qtyString`) would carry one label for all its meanings.
 */

export type EntityName = keyof typeof FIELD_LABELS extends infer K ? (K extends `${infer E}.${string}` ? E : never) : never;
export type FieldLabelKey = keyof typeof FIELD_LABELS;

interface FieldMeta {
  /** The entity an object schema describes: its fields are looked up as `<entity>.<field>` first. */
  entity?: EntityName;
  /** A label for this one field, when neither its name nor its entity says enough. */
  label?: FieldLabelKey;
  /** Why this part of a request is validated by the service item by item instead of by the route. */
  checkedLater?: string;
}

/** Labels and entities live in their own registry, not zod's global one, so they stay out of the OpenAPI output. */
export const fieldMeta = z.registry<FieldMeta>();

/** Marks an object schema as describing `name` (a product, a store…); returns a copy, the original is untouched. */
export function entity<T extends AnySchema>(name: EntityName, schema: T): T {
  const copy = (schema as unknown as z.ZodType).clone() as unknown as T;
  fieldMeta.add(copy, { entity: name });
  return copy;
}

/** Gives one field schema an explicit label from the catalog; returns a copy. */
export function labelled<T extends AnySchema>(key: FieldLabelKey, schema: T): T {
  const copy = (schema as unknown as z.ZodType).clone() as unknown as T;
  fieldMeta.add(copy, { label: key });
  return copy;
}

/**
 * Marks part of a request that the route deliberately does not validate, because the service checks it
 * item by item (an offline upload books its good sales and queues a bad one instead of refusing the batch).
 * The input walk (apps/server/src/http/input.test.ts) accepts such a part and only requires no 5xx for it;
 * the service must then refuse unusable text itself (`isCleanText`, or parsing each item with its schema).
 */
export function checkedLater<T extends AnySchema>(why: string, schema: T): T {
  const copy = (schema as unknown as z.ZodType).clone() as unknown as T;
  fieldMeta.add(copy, { checkedLater: why });
  return copy;
}

export function metaOf(schema: AnySchema): FieldMeta {
  const out: FieldMeta = {};
  for (const s of unwrapChain(schema)) {
    const m = fieldMeta.get(s);
    if (m?.entity && !out.entity) out.entity = m.entity;
    if (m?.label && !out.label) out.label = m.label;
    if (m?.checkedLater && !out.checkedLater) out.checkedLater = m.checkedLater;
  }
  return out;
}

/** The catalog entry for a field named `key` in an object of `entityName`. */
export function labelFor(key: string, entityName?: string): FieldLabel | undefined {
  const labels = FIELD_LABELS as Record<string, FieldLabel>;
  return (entityName ? labels[`${entityName}.${key}`] : undefined) ?? labels[key];
}

/** A row of an array on the way to a field: which array (its label) and which element (0-based). */
export interface FieldRow {
  label: FieldLabel | undefined;
  index: number;
}

/** Where a path leads, as a person names it. */
export interface FieldPlace {
  /** The field's label; undefined when the catalog has none (the label test keeps that from shipping). */
  label: FieldLabel | undefined;
  /** The field's name in its object (the last object key on the path). */
  key: string | undefined;
  /** Arrays the path runs through, outermost first ("第 2 笔销售 明细第 3 行"). */
  rows: FieldRow[];
  /** The field's schema when the path could be followed in a schema. */
  schema: AnySchema | undefined;
}

const isIndex = (p: PathPart) => typeof p === 'number' || /^\d+$/.test(p);

/**
 * Names the field at `path`. With the schema, entities and explicit labels are honoured and array
 * indices are told from object keys that look like numbers; with the input too, a discriminated union
 * is read on the branch the input chose. Without a schema (attrs checked later by a service) the field
 * is named by its key alone.
 */
export function fieldPlace(path: readonly PathPart[], root?: AnySchema, input?: unknown): FieldPlace {
  const place: FieldPlace = { label: undefined, key: undefined, rows: [], schema: root };
  let current: AnySchema | undefined = root;
  let value = input;
  for (const part of path) {
    const container: AnySchema | undefined = current ? unwrap(current) : undefined;
    const d = container ? defOf(container) : undefined;
    if (d?.type === 'array' || (!d && isIndex(part))) {
      place.rows.push({ label: place.label, index: Number(part) });
      current = d?.element;
    } else if (d?.type === 'record') {
      current = d.valueType;
    } else if (d?.type === 'object' || d?.type === 'union' || !d) {
      const key = String(part);
      const owner = d?.type === 'union' ? unionOwner(container as AnySchema, key, value) : current;
      const next: AnySchema | undefined = owner ? defOf(unwrap(owner)).shape?.[key] : undefined;
      const ownerEntity = owner ? metaOf(owner).entity : undefined;
      const own = next ? metaOf(next).label : undefined;
      place.key = key;
      place.label = own ? labelFor(own) : (labelFor(key, ownerEntity) ?? (d ? undefined : SCHEMALESS_LABELS[key]));
      current = next;
    } else {
      current = undefined;
    }
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[String(part)] : undefined;
    place.schema = current;
  }
  return place;
}

/** The object branch of a union that holds `key`: the one the input's discriminator chose, else the first. */
function unionOwner(union: AnySchema, key: string, value: unknown): AnySchema | undefined {
  const options = (defOf(union).options ?? []).filter((o) => defOf(unwrap(o)).shape?.[key]);
  const disc = (defOf(union) as { discriminator?: string }).discriminator;
  const chosen = disc && value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[disc] : undefined;
  const matching = options.find((o) => {
    const tag = defOf(unwrap(o)).shape?.[disc ?? ''];
    return tag && chosen !== undefined && tag._zod.values?.has(chosen as never);
  });
  return matching ?? options[0];
}

/** Whether the person picks this field's value (a warehouse, a yes/no) rather than types it: "请选择" vs "请填写". */
export function isChosen(place: FieldPlace): boolean {
  if (place.label?.choose !== undefined) return place.label.choose;
  if (place.key && /Ids?$/.test(place.key)) return true;
  if (!place.schema) return false;
  const t = defOf(unwrap(place.schema)).type;
  return t === 'enum' || t === 'boolean' || t === 'literal';
}

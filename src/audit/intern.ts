/**
 * Equal values shared instead of repeated. An audit of 800 images × 2,000 findings reads the same CVE ids,
 * package names, versions and links, and the same package lists and Inspector analyses, again and again;
 * findings are never changed once read, so one copy can serve them all.
 */
export interface Interner {
  string(value: string): string;
  /** The value first stored under `key`, or the one `make` returns (then stored). */
  shared<T>(key: string, make: () => T): T;
  /**
   * A text that is usually the same for the same `id` (a CVE's description): the shared copy when `value` is the
   * id's usual text (the first one seen), undefined when it differs.
   */
  usual(id: string, value: string): string | undefined;
}

export function createInterner(): Interner {
  const strings = new Map<string, string>();
  const values = new Map<string, unknown>();
  const byId = new Map<string, string>();
  return {
    string(value) {
      const known = strings.get(value);
      if (known !== undefined) return known;
      strings.set(value, value);
      return value;
    },
    shared<T>(key: string, make: () => T): T {
      const known = values.get(key);
      if (known !== undefined) return known as T;
      const value = make();
      values.set(key, value);
      return value;
    },
    usual(id, value) {
      const known = byId.get(id);
      if (known === value) return known;
      if (known !== undefined) return undefined;
      byId.set(id, value);
      return value;
    },
  };
}

/** Keeps every value as it is (a finding read on its own, in tests). */
export const noInterning: Interner = {
  string: (value) => value,
  shared: (_key, make) => make(),
  usual: (_id, value) => value,
};

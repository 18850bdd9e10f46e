/**
 * Node's lazily loaded globals. Some of Node's globals (FormData, Response, fetch, …) are getters that load undici,
 * Node's fetch implementation, at their first read: about 40 ms of CPU, at every start, for a package that only
 * looks at them to learn what runtime it is in. `hidingGlobal` lets such a package load without that.
 */

/**
 * Runs `load` with `globalThis[name]` reading as undefined, and puts Node's own property back once `load` has
 * returned, or settled when it returns a promise (then other code running meanwhile sees the global hidden too: only
 * for start-up steps). Returns what `load` returns; rethrows what it throws.
 */
export function hidingGlobal<T>(name: 'FormData' | 'Response', load: () => T): T {
  const own = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, { value: undefined, configurable: true, writable: true });
  const restore = () => {
    if (own) Object.defineProperty(globalThis, name, own);
    else delete (globalThis as Record<string, unknown>)[name];
  };
  let result: T;
  try {
    result = load();
  } catch (error) {
    restore();
    throw error;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}

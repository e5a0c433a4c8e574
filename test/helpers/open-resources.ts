/**
 * Resources a test file must close itself (database pools, test servers, connections). The
 * registry lives on the test file's global object, where test/leak-checking-environment.ts
 * reads it after the file's last afterAll hook.
 */
export const OPEN_RESOURCES_KEY = '__processflowOpenTestResources';

type Registry = Map<number, string>;

let nextId = 0;

/** Records `description` as open; the returned function records it as closed. */
export function trackOpenResource(description: string): () => void {
  const id = nextId++;
  registry().set(id, description);
  return () => {
    registry().delete(id);
  };
}

function registry(): Registry {
  const holder = globalThis as unknown as Record<string, Registry | undefined>;
  return (holder[OPEN_RESOURCES_KEY] ??= new Map());
}

/**
 * A statechart as a model xstate/graph can walk (it does not run invocations or delays): the same states,
 * guards and actions, with each invoked actor's done and error transitions and each delayed transition turned
 * into the event that the running actor receives for it (`xstate.done.actor.<id>`, `xstate.error.actor.<id>`,
 * `xstate.after.<delay>.<state id>`). Give every invocation an explicit id.
 */
export interface NodeConfig {
  invoke?:
    | { id?: string; onDone?: unknown; onError?: unknown }
    | Array<{ id?: string; onDone?: unknown; onError?: unknown }>;
  after?: Record<string, unknown>;
  on?: Record<string, unknown>;
  states?: Record<string, NodeConfig>;
  [key: string]: unknown;
}

export function modelOf(node: NodeConfig, id: string): NodeConfig {
  const { invoke, after, on, states, ...rest } = node;
  const handlers: Record<string, unknown> = { ...on };
  for (const inv of invoke === undefined ? [] : Array.isArray(invoke) ? invoke : [invoke]) {
    if (inv.onDone) handlers[`xstate.done.actor.${inv.id}`] = inv.onDone;
    if (inv.onError) handlers[`xstate.error.actor.${inv.id}`] = inv.onError;
  }
  for (const [delay, transition] of Object.entries(after ?? {}))
    handlers[`xstate.after.${delay}.${id}`] = transition;
  const children = states
    ? Object.fromEntries(Object.entries(states).map(([key, child]) => [key, modelOf(child, `${id}.${key}`)]))
    : undefined;
  return { ...rest, on: handlers, ...(children ? { states: children } : {}) };
}

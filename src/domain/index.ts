/** The meeting domain, shared by the tablet and the records service. Pure: xstate, zod, Web Crypto. */
export * from './chain';
export * from './engine';
export * from './events';
export * from './facts';
export * from './meetingMachine';
export * from './minutes';
export * from './model';
export * from './prepared';
export * from './profiles';
export * from './protocol';
export * from './replay';
export * from './rules';
export * from './verify';

/** Where `--local` keeps the embedded Hub's sessions, under the working directory. */
export const LOCAL_HUB_STATE = '.coder-sessions/local-hub.json';

/** How many Hub calls run at once unless --parallelism says otherwise. */
export const DEFAULT_PARALLELISM = 8;

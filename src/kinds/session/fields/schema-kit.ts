/** Small zod builders the field rows share, so every spec key carries its documentation. */
import { z } from 'zod';

/** How messages name a schema the generic wording gets wrong (unions, mostly). */
export const expectedNames = z.registry<{ readonly one: string; readonly many: string }>();

export const text = (description: string) => z.string().optional().describe(description);
export const textList = (description: string) =>
	z.array(z.string()).optional().describe(description);

import { z } from 'zod';

/** A stage named as a string ("sentence"), or as an object with its options ({ name: sentence, n: 3 }). */
export const ComponentSchema = z.union([z.string().min(1), z.looseObject({ name: z.string().min(1) })]);
export type Component = z.infer<typeof ComponentSchema>;

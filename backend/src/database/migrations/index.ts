import { CustomerData1764100000000 } from './1764100000000-CustomerData';

/** In order; listed explicitly so the build needs no file globbing. */
export const MIGRATIONS = [CustomerData1764100000000];

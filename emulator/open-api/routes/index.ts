/** Every emulated endpoint, in match order. */
import type { Route } from '../route.js';
import { authRoutes } from './auth-routes.js';
import { cardUpdateRoutes } from './card-update-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { documentRoutes } from './document-routes.js';
import { fileRoutes } from './file-routes.js';
import { messageRoutes } from './message-routes.js';
import { messageUpdateRoutes } from './message-update-routes.js';

export const allRoutes: readonly Route[] = [
  ...authRoutes,
  ...messageRoutes,
  ...messageUpdateRoutes,
  ...fileRoutes,
  ...directoryRoutes,
  ...documentRoutes,
  ...cardUpdateRoutes,
];

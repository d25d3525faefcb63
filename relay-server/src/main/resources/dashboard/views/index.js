// The dashboard's views, in menu order. A new view is one module in this folder plus one line
// here: the module's default export is {id, title, key?, mount(root, ctx)} (see docs/dashboard.md).
import overview from './overview.js';
import agents from './agents.js';
import messages from './messages.js';
import tasks from './tasks.js';
import activity from './activity.js';
import streams from './streams.js';
import orchestrators from './orchestrators.js';
import config from './config.js';
import policies from './policies.js';
import channels from './channels.js';
import pairs from './pairs.js';
import connectors from './connectors.js';

export const views = [overview, agents, messages, tasks, activity, streams, orchestrators, config, policies, channels, pairs, connectors];

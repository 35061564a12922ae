/**
 * The OpenAPI document of every route (from their JSON schemas), served at /docs with
 * Swagger UI and as JSON at /docs/json. Registered before the routes, so it sees them all.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { WebContext } from './web-context.ts';

export async function registerApiDocs(web: FastifyInstance, app: Pick<WebContext, 'config' | 'policy'>): Promise<void> {
  await web.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tandem',
        version: '0.1.0',
        description: `Mentoring cycles for ${app.policy.department.name}. Staff pages use a session cookie from the emailed sign-in link; their forms carry a CSRF token (_csrf). Participant pages use signed links. The enrollment API uses a bearer token.`,
      },
      servers: [{ url: app.config.publicUrl }],
      components: {
        securitySchemes: {
          staffSession: { type: 'apiKey', in: 'cookie', name: new URL(app.config.publicUrl).protocol === 'https:' ? '__Host-tandem_staff' : 'tandem_staff' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await web.register(swaggerUi, { routePrefix: '/docs' });
}

import { describe, expect, it } from 'vitest';
import { midaxoEndpointsFor } from '../../../shared/adapters/midaxo/midaxo-endpoints.js';

describe('midaxoEndpointsFor', () => {
  it('gives the documented API, token URL and audience of each instance', () => {
    expect(midaxoEndpointsFor('eu')).toEqual({
      apiUrl: 'https://api.app-eu.midaxo.com',
      authUrl: 'https://auth.app-eu.midaxo.com/oauth/token',
      audience: 'kappa-appsync-app-api',
    });
    expect(midaxoEndpointsFor('us').apiUrl).toBe('https://api.app-us.midaxo.com');
    expect(midaxoEndpointsFor('us').authUrl).toBe('https://auth.app-us.midaxo.com/oauth/token');
  });
});

// A real OpenID Provider (oidc-provider, OpenID Certified) for the single sign-on tests.
// Usage: node provider.mjs <port> <redirect-uri> <client-secret>; accounts (sub -> claims) as JSON in SSO_ACCOUNTS.
// Its development login page takes any login (it becomes the subject) and any password.
import Provider from 'oidc-provider';

const [port, redirectUri, clientSecret] = process.argv.slice(2);
const accounts = JSON.parse(process.env.SSO_ACCOUNTS ?? '{}');
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
    clients: [{
        client_id: 'panel',
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
    }],
    scopes: ['openid', 'profile', 'email'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['accesstokenpanel-test-provider-cookie-key'] },
    findAccount: async (ctx, sub) => ({
        accountId: sub,
        claims: async () => ({ sub, ...(accounts[sub] ?? {}) }),
    }),
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

provider.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${issuer}`));

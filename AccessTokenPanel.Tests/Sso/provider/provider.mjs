// A real OpenID Provider (oidc-provider, OpenID Certified) for the single sign-on tests.
// Usage: node provider.mjs <port> <redirect-uri> <client-secret> [<backchannel-logout-uri>]; accounts (sub -> claims)
// as JSON in SSO_ACCOUNTS (an account's "amr" list becomes the ID token's amr), the signing key (a private JWK,
// so that tests can also sign logout tokens of their own) as JSON in SSO_SIGNING_JWK.
// Its development login page takes any login (it becomes the subject) and any password.
import Provider from 'oidc-provider';

const [port, redirectUri, clientSecret, backchannelLogoutUri] = process.argv.slice(2);
const accounts = JSON.parse(process.env.SSO_ACCOUNTS ?? '{}');
const signingKey = process.env.SSO_SIGNING_JWK ? JSON.parse(process.env.SSO_SIGNING_JWK) : undefined;
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
    clients: [{
        client_id: 'panel',
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        ...(backchannelLogoutUri ? { backchannel_logout_uri: backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    }],
    ...(signingKey ? { jwks: { keys: [signingKey] } } : {}),
    scopes: ['openid', 'profile', 'email'],
    // amr and auth_time (how and when the user signed in) go in every ID token: the panel reads amr.
    claims: { sid: null, openid: ['sub', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, backchannelLogout: { enabled: true } },
    cookies: { keys: ['accesstokenpanel-test-provider-cookie-key'] },
    // Its outgoing requests (the back-channel logout) refuse loopback addresses against SSRF; here
    // the panel under test is on loopback, so this test provider lets them through.
    fetch: (url, options) => {
        delete options.dispatcher;
        return globalThis.fetch(url, options);
    },
    findAccount: async (ctx, sub) => ({
        accountId: sub,
        claims: async () => {
            const { amr, ...claims } = accounts[sub] ?? {};
            return { sub, ...claims };
        },
    }),
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.on('backchannel.error', (ctx, error) => console.error('backchannel.error', error.message, error.cause?.message ?? ''));

// The development login knows no second factor: the account's configured amr stands for it.
const interactionFinished = provider.interactionFinished.bind(provider);
provider.interactionFinished = (req, res, result, options) => {
    if (result?.login && Array.isArray(accounts[result.login.accountId]?.amr)) {
        result.login.amr = accounts[result.login.accountId].amr;
    }
    return interactionFinished(req, res, result, options);
};

provider.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${issuer}`));

// A real OpenID Connect provider for the tests: node's `oidc-provider` (package.json),
// listening on loopback. Started by tests/integrations/sso/idp.py with:
//   PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated), CONFORM_ID_TOKEN_CLAIMS
// It prints "ready <issuer>" once it listens.
//
// The login page is a one-field form: whatever e-mail is typed becomes the account (its
// `sub` and `email` claims); consent is granted at once. POST /__control sets how the next
// tokens misbehave, as a broken or hostile provider would:
//   {"clockOffset": seconds}   the provider's clock while it issues tokens (expired tokens)
//   {"idToken": {claims}}      claims replaced in the ID token, re-signed with its real key
//   {"signWithOtherKey": true} the ID token signed by a key the provider never published
//   {"claims": {claims}}       extra claims for every account (email_verified: false, …)
//   {}                         back to normal
import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.REDIRECT_URIS || '').split(',').filter(Boolean);

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'tandem-test-1', alg: 'RS256', use: 'sig' };
const other = await jose.generateKeyPair('RS256', { extractable: true });

let control = {};
const realNow = Date.now;
let clockOffset = 0;
Date.now = () => realNow() + clockOffset * 1000;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['tests-only-cookie-key'] },
  pkce: { required: () => true },
  // Put the e-mail in the ID token itself, as Okta, Entra ID and Google do; with
  // CONFORM_ID_TOKEN_CLAIMS=1, only in the UserInfo answer (OIDC Core 5.4's strict reading).
  conformIdTokenClaims: process.env.CONFORM_ID_TOKEN_CLAIMS === '1',
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        const local = id.split('@')[0];
        return { sub: id, email: id, email_verified: true, given_name: local, family_name: 'Tester', ...(control.claims || {}) };
      },
    };
  },
});

// Tokens leave through here: misbehave as asked.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || !ctx.body || typeof ctx.body.id_token !== 'string') return;
  if (!control.idToken && !control.signWithOtherKey) return;
  const claims = { ...jose.decodeJwt(ctx.body.id_token), ...(control.idToken || {}) };
  const key = control.signWithOtherKey ? other.privateKey : privateKey;
  ctx.body = {
    ...ctx.body,
    id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'tandem-test-1' }).sign(key),
  };
});

const callback = provider.callback();

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const server = http.createServer(async (req, res) => {
  // The browser tests fail a page served without a script-src policy.
  res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'");
  const url = new URL(req.url, issuer);
  try {
    if (url.pathname === '/__control' && req.method === 'POST') {
      control = JSON.parse((await readBody(req)) || '{}');
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
      return;
    }
    const match = url.pathname.match(/^\/interaction\/([^/]+)$/);
    if (match) {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'consent') {
        const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
        grant.addOIDCScope(details.params.scope);
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      if (req.method === 'POST') {
        const email = new URLSearchParams(await readBody(req)).get('email') || '';
        await provider.interactionFinished(req, res, { login: { accountId: email.trim().toLowerCase() } }, { mergeWithLastSubmission: false });
        return;
      }
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body>
<main><h1>Test identity provider</h1>
<form method="post" action="/interaction/${escapeHtml(match[1])}">
<label for="email">E-mail</label> <input id="email" name="email" type="email" autocomplete="username">
<button type="submit">Continue</button></form></main></body></html>`);
      return;
    }
    if (url.pathname === '/token') {
      clockOffset = Number(control.clockOffset || 0);
    }
    res.on('finish', () => { clockOffset = 0; });
    callback(req, res);
  } catch (error) {
    console.error(error);
    res.statusCode = 500;
    res.end(String(error));
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});

// OpenID Connect login for the page (authorization code + PKCE, a public client): shown only when the gateway
// names a client id. The access token is then sent exactly as an API key would be (Authorization: Bearer).
const KEY = 'codetether.oidc';

function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function discover(issuer) {
  const r = await fetch(issuer.replace(/\/$/, '') + '/.well-known/openid-configuration');
  if (!r.ok) throw new Error(`OIDC discovery at ${issuer} answered HTTP ${r.status}`);
  return r.json();
}

function redirectUri() { return location.origin + location.pathname; }

export async function login(oidc) {
  const meta = await discover(oidc.issuer);
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(KEY, JSON.stringify({ verifier, state, token_endpoint: meta.token_endpoint, client_id: oidc.client_id }));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({ response_type: 'code', client_id: oidc.client_id, redirect_uri: redirectUri(),
    scope: oidc.scopes, state, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
  location.assign(url.toString());
}

/** After the identity provider sent the browser back: exchanges the code; returns the access token or null. */
export async function completeLogin() {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  if (!code || !saved) return null;
  sessionStorage.removeItem(KEY);
  history.replaceState(null, '', redirectUri() + location.hash);
  if (params.get('state') !== saved.state) throw new Error('OIDC login: the state does not match (login started elsewhere?)');
  const r = await fetch(saved.token_endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri(), client_id: saved.client_id,
      code_verifier: saved.verifier }).toString() });
  if (!r.ok) throw new Error(`OIDC token exchange answered HTTP ${r.status}`);
  const body = await r.json();
  return body.access_token || null;
}

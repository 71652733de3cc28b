"""Single sign-on with OpenID Connect: the identity providers IT configures on `/it/sso/`,
the company's SSO policy (require SSO apart from one break-glass account, just-in-time
creation), and the authorization-code flow that ends in `access.external_sign_in`.

Modules: `models` (providers, the policy, the log of sign-in attempts), `oidc` (the
protocol: discovery, PKCE, state and nonce, ID-token verification), `services` (IT's
changes, audited; starting and finishing a sign-in), `queries`, `rules`, `forms`, `views`,
`urls`, `api`, `schemas`, `status` (the IT page's line)."""

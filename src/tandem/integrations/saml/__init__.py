"""Single sign-on with SAML 2.0: IT adds the company's identity providers, Tandem is the
service provider (its metadata at /saml/metadata/), and every sign-in ends in
`tandem.access.external_sign_in.complete_external_sign_in`."""

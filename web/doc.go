// Package web is clientele's HTTP server: the dashboard (overview, leads, one lead's
// timeline, inbox, campaigns, suppressions, and the actions on them), the one-click
// unsubscribe links every message carries, /healthz and /metrics.
//
// It owns routing, access control and page rendering, and nothing else: what the pages
// show and what the actions do come from the interfaces it declares (Dashboard,
// StatusSource, Unsubscriber), so it imports neither the store nor the outreach engine.
//
// Access control, from the outside in: the Host header must name this server (its listen
// address, localhost, public_url's host), so a page elsewhere cannot reach it through DNS
// rebinding; every response carries a Content-Security-Policy that allows nothing from
// elsewhere and no inline script; only the unsubscribe links (and /login and the
// stylesheet) are public, everything else needs a logged-in session or the token as a
// Bearer credential when http.auth_token is set; and every POST carries its session's
// CSRF token or is refused with 403. Pages are html/template, so crawled and received text
// is shown as text. The server refuses to listen beyond loopback without a token.
package web

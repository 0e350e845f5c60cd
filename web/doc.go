// Package web is clientele's HTTP server: the one-click unsubscribe links every message
// carries, /healthz, /metrics and the status page.
//
// It owns routing, access control and page rendering, and nothing else: unsubscribing,
// statistics and metrics come from the interfaces it declares, so it imports neither the
// store nor the outreach engine. Only the unsubscribe links are public; everything else
// needs the configured auth token when one is set, and the server refuses to listen beyond
// loopback without one.
package web

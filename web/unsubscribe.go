package web

import (
	"errors"

	"github.com/clientele/clientele/lead"
	"html/template"
	"io"
	"net/http"
)

// unsubscribePage answers GET on a link with a one-button confirmation page. GET never
// unsubscribes: mail scanners and link previews fetch links nobody clicked.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	render(w, http.StatusOK, pageUnsubscribe, nil)
}

// unsubscribe answers POST on a link: the RFC 8058 one-click request a mail client sends
// (body "List-Unsubscribe=One-Click"), or the confirmation page's button. The address is
// suppressed and every sequence stopped before the response is written.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	// The body carries nothing we need; read a little so clients that wait for it are served.
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 4096))
	if s.deps.Unsubscriber == nil {
		render(w, http.StatusServiceUnavailable, pageUnsubscribeFailed, nil)
		return
	}
	err := s.deps.Unsubscriber.Unsubscribe(r.Context(), r.PathValue("id"), r.PathValue("token"))
	switch {
	case err == nil:
		render(w, http.StatusOK, pageUnsubscribed, nil)
	case errors.Is(err, lead.ErrBadLink): // forged, altered or unknown: 404, not our failure
		render(w, http.StatusNotFound, pageBadLink, nil)
	default:
		s.log.Error("unsubscribe failed", "error", err)
		render(w, http.StatusInternalServerError, pageUnsubscribeFailed, nil)
	}
}

func render(w http.ResponseWriter, code int, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = t.Execute(w, data)
}

// unsubscribeStyle is inline so the pages work under any path public_url gives them; the
// Content-Security-Policy allows exactly this style by its hash.
const unsubscribeStyle = `body{font:16px/1.5 system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em;color:#222}
button{font:inherit;padding:.6em 1.4em;border:0;border-radius:.3em;background:#2459c7;color:#fff;cursor:pointer}`

const pageHead = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{block "title" .}}{{end}}</title>
<style>` + unsubscribeStyle + `</style>
</head><body>`

func page(title, body string) *template.Template {
	return template.Must(template.New("page").Parse(pageHead + `{{define "title"}}` + title + `{{end}}` + body + `</body></html>`))
}

var (
	pageUnsubscribe = page("Unsubscribe", `<h1>Unsubscribe</h1>
<p>Press the button and you will not get any more messages from us.</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`)
	pageUnsubscribed      = page("Unsubscribed", `<h1>You are unsubscribed</h1><p>You will not get any more messages from us. Sorry for the bother.</p>`)
	pageBadLink           = page("Link not valid", `<h1>This link is not valid</h1><p>It may have been copied incompletely. Reply to the message with "unsubscribe" and we will remove you by hand.</p>`)
	pageUnsubscribeFailed = page("Please try again", `<h1>Something went wrong</h1><p>We could not record your request just now. Please try again in a minute, or reply to the message with "unsubscribe".</p>`)
)

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clientele/clientele/lead"
)

// actionRoutes are the POSTs of the dashboard. Each builds an Action, hands it to the
// Dashboard (the same code as its command) and redirects to the page it concerns, with
// what it did as a one-time message.
func (s *Server) actionRoutes(mux *http.ServeMux) {
	leadAction := func(do string, value func(r *http.Request) string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
			if err != nil {
				http.NotFound(w, r)
				return
			}
			a := Action{Do: do, Lead: lead.ID(id)}
			if value != nil {
				a.Value = value(r)
			}
			back := "/leads/" + strconv.FormatUint(id, 10)
			if do == "forget" {
				if r.PostFormValue("confirm") != "yes" {
					s.flash(r, "Nothing erased: tick the box to confirm.")
					http.Redirect(w, r, back, http.StatusSeeOther)
					return
				}
				back = "/leads"
			}
			if do == "correct" {
				a.Event, _ = strconv.ParseUint(r.PathValue("event"), 10, 64)
			}
			s.act(w, r, a, back)
		}
	}
	form := func(name string) func(*http.Request) string {
		return func(r *http.Request) string { return strings.TrimSpace(r.PostFormValue(name)) }
	}
	mux.HandleFunc("POST /leads/{id}/outcome", leadAction("outcome", form("outcome")))
	mux.HandleFunc("POST /leads/{id}/stop", leadAction("stop", nil))
	mux.HandleFunc("POST /leads/{id}/suppress", leadAction("suppress", nil))
	mux.HandleFunc("POST /leads/{id}/forget", leadAction("forget", nil))
	mux.HandleFunc("POST /leads/{id}/events/{event}/kind", leadAction("correct", form("kind")))
	for _, kind := range []string{"campaign", "mailbox"} {
		for _, do := range []string{"pause", "resume"} {
			mux.HandleFunc("POST /"+map[string]string{"campaign": "campaigns", "mailbox": "mailboxes"}[kind]+"/{name}/"+do, func(w http.ResponseWriter, r *http.Request) {
				back := "/"
				if kind == "campaign" {
					back = "/campaigns/" + url.PathEscape(r.PathValue("name"))
				}
				s.act(w, r, Action{Do: do, Kind: kind, Name: r.PathValue("name")}, back)
			})
		}
	}
	mux.HandleFunc("POST /suppressions", func(w http.ResponseWriter, r *http.Request) {
		s.act(w, r, Action{Do: "suppress_add", Value: form("value")(r)}, "/suppressions")
	})
	mux.HandleFunc("POST /suppressions/remove", func(w http.ResponseWriter, r *http.Request) {
		s.act(w, r, Action{Do: "suppress_remove", Value: form("value")(r)}, "/suppressions")
	})
	mux.HandleFunc("POST /crawl", func(w http.ResponseWriter, r *http.Request) {
		s.act(w, r, Action{Do: "crawl", Name: form("source")(r)}, "/")
	})
}

// act runs one action and redirects back with its result.
func (s *Server) act(w http.ResponseWriter, r *http.Request, a Action, back string) {
	msg, err := s.deps.Dashboard.Act(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("dashboard action", "action", a.Do, "lead_id", a.Lead, "name", a.Name)
	s.flash(r, msg)
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// flash keeps a message for the session's next page.
func (s *Server) flash(r *http.Request, msg string) {
	if sess := s.sessions.get(r); sess != nil {
		s.sessions.mu.Lock()
		sess.flash = msg
		s.sessions.mu.Unlock()
	}
}

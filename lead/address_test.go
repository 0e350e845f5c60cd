package lead

import "testing"

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Ana@Example.COM":             "ana@example.com",
		"  mailto:info@acme.example ": "info@acme.example",
		"Ana Lima <ana@example.com>":  "ana@example.com",
		"josé@exämple.de":             "josé@xn--exmple-cua.de",
		"info@acme.example.":          "info@acme.example",
		"not an address":              "",
		"@example.com":                "",
		"ana@":                        "",
		"an a@example.com":            "",
		"ana@exa mple.com":            "",
		"first.last+tag@mail.example": "first.last+tag@mail.example",
	} {
		if got := NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegistrableDomain(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.shop.example.co.uk/contact": "example.co.uk",
		"http://WWW.Acme.com":                    "acme.com",
		"acme.com":                               "acme.com",
		"blog.acme.com:8080/x":                   "acme.com",
		"https://127.0.0.1/":                     "",
		"co.uk":                                  "",
		"":                                       "",
		"localhost":                              "",
	} {
		if got := RegistrableDomain(in); got != want {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeSuppression(t *testing.T) {
	for in, want := range map[string]string{
		"@Example.COM":      "@example.com",
		"Bob@Example.com":   "bob@example.com",
		"@localhost":        "",
		"@":                 "",
		"example.com":       "",
		" @mail.acme.test ": "@mail.acme.test",
	} {
		if got := NormalizeSuppression(in); got != want {
			t.Errorf("NormalizeSuppression(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsRoleAddress(t *testing.T) {
	for in, want := range map[string]bool{
		"info@acme.example":        true,
		"Sales+eu@acme.example":    true,
		"kontakt@firma.de":         true,
		"maria.silva@acme.example": false,
		"bob@acme.example":         false,
		"garbage":                  false,
	} {
		if got := IsRoleAddress(in); got != want {
			t.Errorf("IsRoleAddress(%q) = %v", in, got)
		}
	}
}

func TestGuessFirstName(t *testing.T) {
	for _, tc := range []struct{ name, email, want string }{
		{"Maria Silva", "maria@silva.example", "Maria"},
		{"Maria Silva", "maria.silva@silva.example", "Maria"},
		{"Maria Silva", "info@silva.example", ""},
		{"Maria Silva", "", ""},
		{"João Pereira", "joao@pereira.example", "João"},
		{"Bob's Pipes", "bob@bobspipes.example", "Bob"},
		{"Blue Sky Painters", "info@bluesky.example", ""},
		{"Blue Sky Painters", "office@bluesky.example", ""},
		{"Smith Roofing", "smith.roofing@gmail.example", "Smith"},
		{"Golden Gate Electric", "contact@goldengate.example", ""},
		{"Acme Plumbing Ltd", "info@acme.example", ""},
		{"", "joao.pereira@acme.example", "Joao"},
		{"", "ana@acme.example", ""},
		{"", "x.y@acme.example", ""},
		{"Jean-Luc Picard", "jeanluc@enterprise.example", ""},
		{"Jean-Luc Picard", "jean-luc@enterprise.example", "Jean-Luc"},
		{"MARIA SILVA", "maria@silva.example", "Maria"},
		{"Pastelaria Doce", "ana.costa@pastelaria-doce.example", "Ana"},
	} {
		if got := GuessFirstName(tc.name, tc.email); got != tc.want {
			t.Errorf("GuessFirstName(%q, %q) = %q, want %q", tc.name, tc.email, got, tc.want)
		}
	}
}

func TestStatusRules(t *testing.T) {
	for _, s := range Statuses {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if Status("happy").Valid() {
		t.Error("unknown status accepted")
	}
	final := map[Status]bool{StatusReplied: true, StatusBounced: true, StatusUnsubscribed: true, StatusComplained: true}
	for _, s := range Statuses {
		if s.Final() != final[s] {
			t.Errorf("%s.Final() = %v", s, s.Final())
		}
	}
	l := &Lead{Email: "a@b.example", Status: StatusContacted}
	if !l.Contactable() {
		t.Error("contacted lead with an email is not contactable")
	}
	l.Status = StatusUnsubscribed
	if l.Contactable() {
		t.Error("unsubscribed lead is contactable")
	}
}
